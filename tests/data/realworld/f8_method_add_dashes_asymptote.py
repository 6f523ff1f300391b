from manim import *


class HorizontalAsymptote(Scene):
    def construct(self):
        ax = Axes(x_range=[-6, 6], y_range=[-1, 3], x_length=10, y_length=5)
        f = ax.plot(lambda x: 2 * x ** 2 / (x ** 2 + 1), color=BLUE)
        self.play(Create(ax), Create(f))
        asym = ax.plot(lambda x: 2, color=RED)
        asym.add_dashes()
        self.play(Create(asym))
        lim = MathTex(r"\lim_{x\to\infty}\frac{2x^2}{x^2+1} = 2").to_corner(UL)
        self.play(Write(lim))
        self.wait()
