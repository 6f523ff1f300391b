from manim import *


class MoveScene(Scene):
    def construct(self):
        square = Square(color=ORANGE)
        self.add(square)
        self.play(ApplyMethod(square.shift, UP * 1.5), run_time=0.5)
        self.play(square.set_color, BLUE, run_time=0.4)
        self.play(ApplyMethod(square.scale, 0.5, run_time=0.4))
        self.wait(0.2)
