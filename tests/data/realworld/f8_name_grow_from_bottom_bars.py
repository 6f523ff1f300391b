from manim import *


class PopulationBars(Scene):
    def construct(self):
        title = Text("World population (billions)", font_size=32).to_edge(UP)
        self.play(Write(title))
        years = ["1900", "1950", "2000", "2023"]
        values = [1.6, 2.5, 6.1, 8.0]
        bars = VGroup()
        for v in values:
            bars.add(Rectangle(width=1, height=v * 0.5, fill_color=TEAL, fill_opacity=0.8))
        bars.arrange(RIGHT, buff=0.6, aligned_edge=DOWN).shift(DOWN)
        labels = VGroup(*[Text(y, font_size=22).next_to(b, DOWN) for y, b in zip(years, bars)])
        self.play(Write(labels))

        # bars rise from the baseline
        self.play(LaggedStart(*[GrowFromBottom(b) for b in bars], lag_ratio=0.25))
        self.play(Indicate(bars[-1]))
        self.wait()
