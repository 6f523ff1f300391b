from manim import *
import numpy as np


def partial_sum(n_terms):
    """Fourier partial sum of a square wave with odd harmonics."""
    def f(x):
        return sum(4 / (np.pi * (2 * k + 1)) * np.sin((2 * k + 1) * x) for k in range(n_terms))
    return f


class FourierSquareWave(Scene):
    def construct(self):
        axes = Axes(x_range=[-PI, PI, PI / 2], y_range=[-1.5, 1.5, 0.5], x_length=10, y_length=4.5)
        square = VGroup(
            axes.plot(lambda x: -1, x_range=[-PI, 0], color=GREY, stroke_width=2),
            axes.plot(lambda x: 1, x_range=[0, PI], color=GREY, stroke_width=2),
        )
        self.play(Create(axes), Create(square))

        curve = axes.plot(partial_sum(1), color=YELLOW)
        counter = MathTex("N = 1").to_corner(UR)
        self.play(Create(curve), Write(counter))

        for n in [2, 3, 5, 8, 15]:
            new_curve = axes.plot(partial_sum(n), color=YELLOW)
            new_counter = MathTex(f"N = {n}").to_corner(UR)
            self.play(Transform(curve, new_curve), Transform(counter, new_counter), run_time=0.8)

        note = Tex("Gibbs overshoot stays near 9\\%").scale(0.7).to_edge(DOWN)
        self.play(FadeIn(note))
        self.wait(2)
