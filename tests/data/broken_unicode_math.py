from manim import *


class UnicodeScene(Scene):
    def construct(self):
        ineq = MathTex(r"α + β ≤ ∞")
        integral = MathTex(r"∫₀¹ x² dx = 1/3").next_to(ineq, DOWN)
        note = Tex(r"where α is the angle").next_to(integral, DOWN)
        self.play(Write(ineq), run_time=0.5)
        self.play(Write(integral), FadeIn(note), run_time=0.5)
        self.wait(0.2)
