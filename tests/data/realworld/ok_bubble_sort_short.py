from manim import *


class BubbleSortShort(Scene):
    """A short bubble sort on five bars: only the passes, not every comparison."""

    def construct(self):
        values = [4, 1, 5, 2, 3]
        bars = VGroup()
        for v in values:
            bar = Rectangle(width=0.8, height=v * 0.7, fill_color=BLUE, fill_opacity=0.8, stroke_color=WHITE)
            bars.add(bar)
        bars.arrange(RIGHT, buff=0.3, aligned_edge=DOWN).move_to(DOWN * 0.5)
        numbers = VGroup(*[Text(str(v), font_size=28).next_to(b, DOWN) for v, b in zip(values, bars)])

        title = Text("Bubble sort", font_size=40).to_edge(UP)
        self.play(Write(title))
        self.play(LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars], lag_ratio=0.2), FadeIn(numbers))

        order = list(range(len(values)))
        n = len(values)
        for i in range(n):
            for j in range(n - i - 1):
                a, b = order[j], order[j + 1]
                if values[a] > values[b]:
                    # swap positions of the two bars (and their labels)
                    pa, pb = bars[a].get_x(), bars[b].get_x()
                    self.play(
                        bars[a].animate.set_x(pb), bars[b].animate.set_x(pa),
                        numbers[a].animate.set_x(pb), numbers[b].animate.set_x(pa),
                        run_time=0.5,
                    )
                    order[j], order[j + 1] = b, a
            self.play(bars[order[n - i - 1]].animate.set_fill(GREEN), run_time=0.3)

        self.wait(1)
