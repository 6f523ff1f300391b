from manim import *


class LeftRightScene(Scene):
    def construct(self):
        eq = MathTex(r"f(x) = \left( \frac{x}{2} ")
        bracket = MathTex(r"g(x) = \frac{1}{2} x \right]").next_to(eq, DOWN)
        self.play(Write(eq), run_time=0.5)
        self.play(Write(bracket), run_time=0.5)
        self.wait(0.2)
