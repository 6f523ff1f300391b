from manim import *


class MeanVersusMedian(Scene):
    def construct(self):
        data = [1, 2, 2, 3, 4, 5, 13]
        line = NumberLine(x_range=[0, 14, 1], length=12, include_numbers=True, font_size=24)
        self.play(Create(line))

        dots = VGroup()
        counts = {}
        for v in data:
            k = counts.get(v, 0)
            counts[v] = k + 1
            dots.add(Dot(line.n2p(v) + UP * (0.3 + 0.3 * k), color=BLUE))
        self.play(LaggedStart(*[FadeIn(d, shift=DOWN) for d in dots], lag_ratio=0.15))

        mean = sum(data) / len(data)
        median = sorted(data)[len(data) // 2]
        mean_arrow = Arrow(line.n2p(mean) + DOWN * 1.2, line.n2p(mean), buff=0.1, color=RED)
        median_arrow = Arrow(line.n2p(median) + DOWN * 1.2, line.n2p(median), buff=0.1, color=GREEN)
        mean_label = Text(f"mean {mean:.1f}", font_size=24, color=RED).next_to(mean_arrow, DOWN)
        median_label = Text(f"median {median}", font_size=24, color=GREEN).next_to(median_arrow, DOWN)

        self.play(GrowArrow(median_arrow), Write(median_label))
        self.play(GrowArrow(mean_arrow), Write(mean_label))
        note = Text("one outlier pulls the mean, not the median", font_size=28).to_edge(UP)
        self.play(Write(note))
        self.wait(2)
