from manim import *


class TitleScene(Scene):
    def construct(self):
        title = TextMobject("Euler's identity")
        formula = TexMobject(r"e^{i\pi} + 1 = 0").next_to(title, DOWN)
        self.play(Write(title), run_time=0.5)
        self.play(Write(formula), run_time=0.5)
        self.wait(0.2)
