from manim import *


class BraceScene(Scene):
    def construct(self):
        eq = MathTex(r"\frac{d}{dx} \left( x^{2 \right) = 2x")
        root = MathTex(r"\sqrt{x^2 + y^2}} = r").next_to(eq, DOWN)
        self.play(Write(eq), run_time=0.5)
        self.play(Write(root), run_time=0.5)
        self.wait(0.2)
