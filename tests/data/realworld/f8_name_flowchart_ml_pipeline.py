from manim import *


class MLPipeline(Scene):
    def construct(self):
        title = Text("A machine learning pipeline", font_size=34).to_edge(UP)
        self.play(Write(title))
        steps = ["Data", "Features", "Model", "Evaluate"]
        boxes = VGroup(*[
            VGroup(RoundedRectangle(width=2.4, height=1, corner_radius=0.2, color=BLUE), Text(s, font_size=24))
            for s in steps
        ]).arrange(RIGHT, buff=0.8)
        arrows = VGroup(*[Arrow(a.get_right(), b.get_left(), buff=0.1) for a, b in zip(boxes[:-1], boxes[1:])])
        self.play(LaggedStart(*[FadeIn(b) for b in boxes], lag_ratio=0.3))
        self.play(LaggedStart(*[GrowArrow(a) for a in arrows], lag_ratio=0.3))

        # loop back from evaluation to the model
        loop = CurvedArrowPath(boxes[3].get_bottom(), boxes[2].get_bottom(), angle=-PI / 2, color=YELLOW)
        self.play(Create(loop))
        self.wait(2)
