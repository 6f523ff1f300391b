from manim import *


class TangentSlopes(Scene):
    """Tangent lines to a cubic at several points, with their slopes."""

    def construct(self):
        axes = Axes(x_range=[-3, 3, 1], y_range=[-4, 4, 1], x_length=8, y_length=6)
        f = lambda x: 0.3 * x**3 - x
        graph = axes.plot(f, color=BLUE)
        self.play(Create(axes), Create(graph))

        for x0, color in [(-2, RED), (0, GREEN), (1.5, YELLOW)]:
            tangent = axes.get_tangent_line(x0, graph, length=3, color=color)
            dot = Dot(axes.i2gp(x0, graph), color=color)
            slope = 0.9 * x0**2 - 1
            label = MathTex(f"m = {slope:.2f}", color=color, font_size=32).next_to(dot, UR, buff=0.1)
            self.play(FadeIn(dot), Create(tangent), Write(label))
            self.wait(0.5)

        self.wait(2)
