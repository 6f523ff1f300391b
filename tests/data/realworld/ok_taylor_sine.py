from manim import *
import math


class TaylorSine(Scene):
    def construct(self):
        axes = Axes(x_range=[-7, 7, 1], y_range=[-3, 3, 1], x_length=12, y_length=5)
        sine = axes.plot(np.sin, color=BLUE)
        self.play(Create(axes), Create(sine))

        def taylor(n_terms):
            def f(x):
                return sum((-1) ** k * x ** (2 * k + 1) / math.factorial(2 * k + 1) for k in range(n_terms))
            return f

        colors = [RED, ORANGE, YELLOW, GREEN, PURPLE]
        approx = axes.plot(taylor(1), x_range=[-7, 7], color=colors[0])
        approx_label = MathTex(r"T_1(x) = x").to_corner(UL)
        self.play(Create(approx), Write(approx_label))

        formulas = [
            r"T_3(x) = x - \frac{x^3}{3!}",
            r"T_5(x) = x - \frac{x^3}{3!} + \frac{x^5}{5!}",
            r"T_7(x) = \cdots - \frac{x^7}{7!}",
            r"T_9(x) = \cdots + \frac{x^9}{9!}",
        ]
        for n, (color, tex) in enumerate(zip(colors[1:], formulas), start=2):
            new = axes.plot(taylor(n), x_range=[-7, 7], color=color)
            new_label = MathTex(tex).to_corner(UL)
            self.play(Transform(approx, new), Transform(approx_label, new_label), run_time=1.2)
            self.wait(0.4)
        self.wait(1)
