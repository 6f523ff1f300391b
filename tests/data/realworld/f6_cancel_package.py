from manim import *


class SimplifyFraction(Scene):
    def construct(self):
        expr = MathTex(r"\frac{x^2 - 1}{x - 1}", font_size=72)
        self.play(Write(expr))
        self.wait()

        factored = MathTex(r"\frac{(x - 1)(x + 1)}{x - 1}", font_size=72)
        self.play(TransformMatchingTex(expr, factored))
        self.wait()

        cancelled = MathTex(r"\frac{\cancel{(x - 1)}(x + 1)}{\cancel{x - 1}}", font_size=72)
        self.play(TransformMatchingTex(factored, cancelled))
        self.wait()

        result = MathTex(r"= x + 1, \quad x \neq 1", font_size=60, color=YELLOW).next_to(cancelled, DOWN, buff=0.6)
        self.play(Write(result))
        self.wait(2)
