from manim import *


class Basic(Scene):
    """MathTex, Text and Axes: the foundation's reference scene."""

    def construct(self):
        axes = Axes(x_range=[-3, 3, 1], y_range=[-1, 9, 2], x_length=6, y_length=3.6).shift(DOWN * 0.4)
        curve = axes.plot(lambda x: x ** 2, color=YELLOW)
        formula = MathTex(r"f(x) = x^2").to_edge(UP)
        caption = Text("A parabola", font_size=30).next_to(axes, DOWN, buff=0.2)
        self.play(Create(axes), Write(formula))
        self.play(Create(curve), FadeIn(caption))
        self.wait(0.5)
