from manim import *


class DollarScene(Scene):
    def construct(self):
        eq = MathTex(r"$a^2 + b^2 = c^2$")
        area = MathTex(r"$A = \pi r^2$").next_to(eq, DOWN)
        self.play(Write(eq), run_time=0.5)
        self.play(Write(area), run_time=0.5)
        self.wait(0.2)
