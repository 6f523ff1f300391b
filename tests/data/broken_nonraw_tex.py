from manim import *


class FractionScene(Scene):
    def construct(self):
        half = MathTex("\frac{1}{2} + \frac{1}{3} = \frac{5}{6}")
        angle = MathTex("\theta = \beta + \alpha").next_to(half, DOWN)
        self.play(Write(half), run_time=0.5)
        self.play(Write(angle), run_time=0.5)
        self.wait(0.2)
