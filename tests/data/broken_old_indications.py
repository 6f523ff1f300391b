from manim import *


class IndicateScene(Scene):
    def construct(self):
        eq = MathTex(r"E = mc^2")
        self.play(Write(eq), run_time=0.5)
        self.play(CircleIndicate(eq), run_time=0.6)
        self.play(ShowCreationThenDestruction(Underline(eq)), run_time=0.6)
        self.play(WiggleOutThenIn(eq), run_time=0.5)
        self.wait(0.2)
