from manim import *


class DotsScene(Scene):
    CONFIG = {
        "n_dots": 5,
        "dot_color": RED,
        "spacing": 1.2,
    }

    def construct(self):
        dots = VGroup(*[Dot(color=self.dot_color) for _ in range(self.n_dots)])
        dots.arrange(RIGHT, buff=self.spacing)
        self.play(FadeIn(dots), run_time=0.5)
        self.wait(0.2)
