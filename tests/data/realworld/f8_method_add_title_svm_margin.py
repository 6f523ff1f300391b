from manim import *


class SVMMargin(Scene):
    def construct(self):
        ax = Axes(x_range=[0, 6], y_range=[0, 6], x_length=6, y_length=6)
        ax.add_title("Support vector machine")
        self.play(Create(ax))
        blue = [(1, 4), (1.5, 5), (2, 4.2), (0.8, 3.2)]
        red = [(4, 1), (4.5, 2), (5, 1.5), (3.5, 0.8)]
        pts = VGroup(*[Dot(ax.c2p(x, y), color=BLUE) for x, y in blue],
                     *[Dot(ax.c2p(x, y), color=RED) for x, y in red])
        self.play(LaggedStart(*[FadeIn(p) for p in pts], lag_ratio=0.1))
        boundary = ax.plot(lambda x: x - 0.2, x_range=[0.5, 6], color=YELLOW)
        margin1 = ax.plot(lambda x: x + 1, x_range=[0, 5], color=YELLOW).set_stroke(opacity=0.4)
        margin2 = ax.plot(lambda x: x - 1.4, x_range=[1.4, 6], color=YELLOW).set_stroke(opacity=0.4)
        self.play(Create(boundary))
        self.play(Create(margin1), Create(margin2))
        self.wait()
