from manim import *
import numpy as np


class NormalDistribution(Scene):
    def construct(self):
        axes = Axes(
            x_range=[-4, 4, 1],
            y_range=[0, 0.5, 0.1],
            x_length=10,
            y_length=4,
            axis_config={"include_numbers": False},
        )

        def pdf(x, mu=0.0, sigma=1.0):
            return np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))

        curve = axes.plot(pdf, color=YELLOW)
        formula = MathTex(
            r"f(x) = \frac{1}{\sigma\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}"
        ).to_edge(UP)

        self.play(Create(axes))
        self.play(Create(curve), Write(formula))
        self.wait()

        # Shade one standard deviation around the mean
        area = axes.get_area(curve, x_range=[-1, 1], color=BLUE, opacity=0.5)
        label = Tex(r"$\approx 68\%$ within $1\sigma$").scale(0.8).next_to(area, DOWN, buff=0.3)
        self.play(FadeIn(area), Write(label))
        self.wait()

        wider = axes.get_area(curve, x_range=[-2, 2], color=BLUE, opacity=0.5)
        label2 = Tex(r"$\approx 95\%$ within $2\sigma$").scale(0.8).move_to(label)
        self.play(Transform(area, wider), Transform(label, label2))
        self.wait(2)
