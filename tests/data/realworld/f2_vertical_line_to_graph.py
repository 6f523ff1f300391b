from manim import *


class MeanValueTheorem(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 4, 1], y_range=[0, 6, 1], x_length=8, y_length=5)
        f = lambda x: 0.5 * x**2 - x + 2
        graph = axes.plot(f, x_range=[0, 4], color=BLUE)
        self.play(Create(axes), Create(graph))

        a, b = 0.5, 3.5
        line_a = axes.get_vertical_line_to_graph(a, graph, color=GREY)
        line_b = axes.get_vertical_line_to_graph(b, graph, color=GREY)
        secant = Line(axes.c2p(a, f(a)), axes.c2p(b, f(b)), color=YELLOW)
        self.play(Create(line_a), Create(line_b))
        self.play(Create(secant))

        # c where f'(c) equals the secant slope: c - 1 = (f(b) - f(a)) / (b - a)
        c = (f(b) - f(a)) / (b - a) + 1
        tangent = TangentLine(graph, alpha=c / 4, length=4, color=GREEN)
        c_line = axes.get_vertical_line_to_graph(c, graph, color=GREEN, line_func=DashedLine)
        self.play(Create(tangent), Create(c_line))

        statement = MathTex(r"f'(c) = \frac{f(b) - f(a)}{b - a}").to_corner(UL)
        self.play(Write(statement))
        self.wait(2)
