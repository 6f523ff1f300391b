from manim import *


def labeled_box(text, color):
    box = RoundedRectangle(width=3, height=1, corner_radius=0.2, color=color, fill_opacity=0.2)
    label = Text(text, font_size=28).move_to(box)
    return VGroup(box, label)


class Pipeline(Scene):
    """Training loop of a neural network as a cycle of boxes."""

    def construct(self):
        steps = ["forward pass", "compute loss", "backward pass", "update weights"]
        colors = [BLUE, RED, ORANGE, GREEN]
        boxes = VGroup(*[labeled_box(s, c) for s, c in zip(steps, colors)])
        boxes.arrange_in_grid(rows=2, cols=2, buff=(2, 1.2))
        boxes[2], boxes[3] = boxes[3], boxes[2]

        order = [0, 1, 3, 2]
        arrows = VGroup(*[
            Arrow(boxes[order[i]].get_center(), boxes[order[(i + 1) % 4]].get_center(), buff=0.8)
            for i in range(4)
        ])
        self.play(LaggedStart(*[FadeIn(b) for b in boxes], lag_ratio=0.2))
        self.play(LaggedStart(*[GrowArrow(a) for a in arrows], lag_ratio=0.2))
        for i in order * 2:
            self.play(Indicate(boxes[i]), run_time=0.5)
        self.wait(1)


class Summary(Scene):
    def construct(self):
        box = labeled_box("repeat until the loss stops improving", YELLOW)
        box[0].stretch_to_fit_width(8)
        self.play(FadeIn(box))
        self.wait(1)
