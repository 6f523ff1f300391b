from manim import *


class QuoteScene(Scene):
    def construct(self):
        label = Text(“Gradient”, font_size=40)
        arrow = Arrow(LEFT, RIGHT).shift(DOWN * 0.5 + LEFT * (−1))
        self.play(Write(label), run_time=0.5)
        self.play(GrowArrow(arrow), run_time=0.4)
        self.wait(0.2)
