from manim import *
import numpy as np


class SquareWaveFourier(Scene):
    def construct(self):
        title = MathTex(r"f(x) = \frac{4}{\pi}\sum_{k\ \mathrm{odd}} \frac{\sin kx}{k}").to_edge(UP)
        self.play(Write(title))
        ax = Axes(x_range=[-PI, PI], y_range=[-1.5, 1.5], x_length=10, y_length=4).shift(DOWN * 0.5)
        self.play(Create(ax))
        partial = ax.plot(lambda x: 4 / PI * np.sin(x), color=BLUE)
        self.play(Create(partial))
        for n in [3, 5, 7, 9]:
            new = ax.plot(lambda x, n=n: 4 / PI * sum(np.sin(k * x) / k for k in range(1, n + 1, 2)), color=BLUE)
            self.play(Transform(partial, new), self.add(MathTex(f"n={n}").to_corner(DR)), run_time=0.8)
        self.wait()
