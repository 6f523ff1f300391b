from manim import *

# Colours for the bars, from cold to warm
PALETTE = make_palette(6)
VALUES = [3, 7, 2, 9, 5, 6]


def make_palette(n):
    return color_gradient([BLUE, GREEN, YELLOW, RED], n)


class HistogramColors(Scene):
    def construct(self):
        bars = VGroup(*[
            Rectangle(width=0.8, height=v * 0.5, fill_color=c, fill_opacity=0.9, stroke_width=0)
            for v, c in zip(VALUES, PALETTE)
        ]).arrange(RIGHT, buff=0.2, aligned_edge=DOWN).shift(DOWN)
        labels = VGroup(*[Text(str(v), font_size=24).next_to(b, UP) for v, b in zip(VALUES, bars)])

        title = Text("Histogram", font_size=40).to_edge(UP)
        self.play(Write(title))
        self.play(LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars], lag_ratio=0.15))
        self.play(FadeIn(labels))
        self.wait(2)
