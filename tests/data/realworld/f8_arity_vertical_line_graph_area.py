from manim import *


class MeanValueTheorem(Scene):
    def construct(self):
        title = Text("Mean value theorem", font_size=34).to_edge(UP)
        self.play(Write(title))
        ax = Axes(x_range=[0, 4], y_range=[0, 5], x_length=7, y_length=4.5).shift(DOWN * 0.5)
        g = ax.plot(lambda x: 0.3 * x ** 2 + 0.5, color=BLUE)
        self.play(Create(ax), Create(g))
        secant = Line(ax.i2gp(0.5, g), ax.i2gp(3.5, g), color=YELLOW)
        self.play(Create(secant))
        # the point where the tangent is parallel to the secant
        c = 2.0
        vline = ax.get_vertical_line(ax.i2gp(c, g), g)
        self.play(Create(vline))
        label = MathTex("f'(c) = \\frac{f(b)-f(a)}{b-a}").to_corner(UR)
        self.play(Write(label))
        self.wait()
