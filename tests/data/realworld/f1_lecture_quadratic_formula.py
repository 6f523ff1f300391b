from manim import *


class QuadraticFormulaLecture(Scene):
    """Derive the quadratic formula, then solve many examples with it (a long lecture-style scene)."""

    def construct(self):
        title = Title("Completing the square")
        self.play(Write(title))

        steps = [
            r"ax^2 + bx + c = 0",
            r"x^2 + \frac{b}{a}x + \frac{c}{a} = 0",
            r"x^2 + \frac{b}{a}x = -\frac{c}{a}",
            r"x^2 + \frac{b}{a}x + \frac{b^2}{4a^2} = \frac{b^2}{4a^2} - \frac{c}{a}",
            r"\left(x + \frac{b}{2a}\right)^2 = \frac{b^2 - 4ac}{4a^2}",
            r"x + \frac{b}{2a} = \pm\frac{\sqrt{b^2 - 4ac}}{2a}",
            r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}",
        ]
        current = MathTex(steps[0])
        self.play(Write(current))
        for tex in steps[1:]:
            nxt = MathTex(tex)
            self.play(TransformMatchingTex(current, nxt))
            self.wait(0.5)
            current = nxt
        self.play(current.animate.scale(0.8).to_edge(UP, buff=1.3), Circumscribe(current))

        # Worked examples: every example is four animations
        examples = [(1, -3, 2), (1, 2, -8), (2, 3, -2), (1, -6, 9), (1, 0, -4), (3, -5, 2), (1, 1, -6),
                    (2, -7, 3), (1, -1, -12), (4, 4, 1), (1, 5, 6), (2, 1, -1), (1, -8, 15), (1, 4, 3),
                    (5, -3, -2), (1, -2, -15), (3, 7, 2), (1, 9, 20), (2, -5, -3), (1, -10, 21), (6, -5, 1),
                    (1, 3, -10), (4, -8, 3), (1, -4, -21), (2, 9, 4)]
        for a, b, c in examples:
            disc = b * b - 4 * a * c
            eq = MathTex(rf"{a}x^2 + ({b})x + ({c}) = 0").shift(UP * 0.3)
            d = MathTex(rf"\Delta = ({b})^2 - 4\cdot{a}\cdot({c}) = {disc}").next_to(eq, DOWN)
            r1 = (-b + disc ** 0.5) / (2 * a)
            r2 = (-b - disc ** 0.5) / (2 * a)
            roots = MathTex(rf"x_1 = {r1:.3g}, \quad x_2 = {r2:.3g}", color=YELLOW).next_to(d, DOWN)
            self.play(Write(eq))
            self.play(Write(d))
            self.play(Write(roots))
            self.play(FadeOut(eq), FadeOut(d), FadeOut(roots))
        self.wait(1)
