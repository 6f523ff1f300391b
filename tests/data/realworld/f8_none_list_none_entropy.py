from manim import *
import numpy as np


class EntropyBits(Scene):
    def construct(self):
        title = Text("Entropy of a coin", font_size=36).to_edge(UP)
        self.play(Write(title))
        ax = Axes(x_range=[0, 1, 0.25], y_range=[0, 1.1, 0.5], x_length=7, y_length=4).shift(DOWN * 0.5)
        h = ax.plot(lambda p: -p * np.log2(p) - (1 - p) * np.log2(1 - p), x_range=[0.001, 0.999], color=GREEN)
        self.play(Create(ax), Create(h))
        peak = Dot(ax.c2p(0.5, 1), color=RED)
        label = MathTex("H(0.5) = 1\\text{ bit}").next_to(peak, UP)
        self.play(FadeIn(peak), Write(label), None)
        self.wait()
