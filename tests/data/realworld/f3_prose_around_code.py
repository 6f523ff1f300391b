Here's a Manim animation that demonstrates the concept of a derivative as the limit of secant lines:

from manim import *


class SecantToTangent(Scene):
    def construct(self):
        axes = Axes(x_range=[-1, 4, 1], y_range=[-1, 9, 2], x_length=7, y_length=5)
        f = lambda x: 0.5 * x**2 + 0.5
        graph = axes.plot(f, x_range=[-1, 4], color=BLUE)
        self.play(Create(axes), Create(graph))

        x0 = 1
        h = ValueTracker(2)

        secant = always_redraw(lambda: axes.get_secant_slope_group(
            x=x0, graph=graph, dx=h.get_value(), secant_line_length=6,
            secant_line_color=YELLOW, dx_label="h", dy_label="f(x+h)-f(x)",
        ))
        self.play(Create(secant))
        self.play(h.animate.set_value(0.05), run_time=4)

        derivative = MathTex(r"f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h}").to_edge(UP)
        self.play(Write(derivative))
        self.wait(2)

This code creates a scene where:
1. We plot the function f(x) = 0.5x² + 0.5
2. A secant line is drawn between x and x+h
3. As h shrinks to 0, the secant line becomes the tangent line

To render it, run: `manim -pql scene.py SecantToTangent`
