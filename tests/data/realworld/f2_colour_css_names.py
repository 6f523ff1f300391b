from manim import *


class RGBColorMixing(Scene):
    """Additive colour mixing with three overlapping circles."""

    def construct(self):
        r = Circle(radius=1.6, color=RED, fill_opacity=0.5).shift(UP * 0.8)
        g = Circle(radius=1.6, color=GREEN, fill_opacity=0.5).shift(DOWN * 0.6 + LEFT * 1.0)
        b = Circle(radius=1.6, color=BLUE, fill_opacity=0.5).shift(DOWN * 0.6 + RIGHT * 1.0)

        self.play(DrawBorderThenFill(r), DrawBorderThenFill(g), DrawBorderThenFill(b))

        mixes = VGroup(
            Text("yellow", font_size=24, color=YELLOW),
            Text("cyan", font_size=24, color=CYAN),
            Text("magenta", font_size=24, color=MAGENTA),
        ).arrange(DOWN, aligned_edge=LEFT).to_edge(RIGHT)
        self.play(Write(mixes))

        legend_box = SurroundingRectangle(mixes, color=BROWN, buff=0.2)
        self.play(Create(legend_box))
        self.wait(2)
