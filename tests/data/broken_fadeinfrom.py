from manim import *


class FadeScene(Scene):
    def construct(self):
        a = Square(color=BLUE).shift(LEFT * 2)
        b = Circle(color=RED).shift(RIGHT * 2)
        c = Triangle(color=GREEN)
        self.play(FadeInFrom(a, LEFT), FadeInFromDown(b), run_time=0.5)
        self.play(FadeIn(c), run_time=0.3)
        self.play(FadeOutAndShift(a, DOWN), FadeOutAndShift(b, UP), run_time=0.5)
        self.wait(0.2)
