from manim import *


class CircleScene(Scene):
    def construct(self):
        circle = Circle(radius=1.5, color=BLUE)
        square = Square(side_length=2, color=GREEN).next_to(circle, RIGHT)
        self.play(ShowCreation(circle), run_time=0.5)
        self.play(ShowCreation(square), run_time=0.5)
        self.wait(0.2)
