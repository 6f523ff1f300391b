from manim import *
import numpy as np


class SineAndCosine(Scene):
    def construct(self):
        title = Text("sin and cos are shifted copies", font_size=32).to_edge(UP)
        self.play(Write(title))

        axes = Axes(x_range=[-PI, 2 * PI, PI / 2], y_range=[-1.5, 1.5], x_length=10, y_length=4,
                    axis_config={"color": AXIS_COLOR})
        self.play(Create(axes))
        sin = axes.plot(np.sin, color=BLUE)
        cos = axes.plot(np.cos, color=RED)
        self.play(Create(sin))
        self.play(Create(cos))
        shift = MathTex(r"\cos x = \sin\left(x + \tfrac{\pi}{2}\right)").to_edge(DOWN)
        self.play(Write(shift))
        self.wait()
