from manimlib.imports import *


class ArrowScene(Scene):
    def construct(self):
        arrow = Arrow(LEFT * 2, RIGHT * 2, color=YELLOW)
        label = Text("force", font_size=36).next_to(arrow, UP)
        self.play(GrowArrow(arrow), run_time=0.5)
        self.play(FadeIn(label), run_time=0.3)
        self.wait(0.2)
