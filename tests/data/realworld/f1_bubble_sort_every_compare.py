from manim import *
import random


class BubbleSortDetailed(Scene):
    """Bubble sort on 12 bars: every comparison is highlighted, every swap is animated."""

    def construct(self):
        random.seed(1)
        values = random.sample(range(1, 25), 12)

        title = Text("Bubble Sort", font_size=40).to_edge(UP)
        self.play(Write(title))

        bars = VGroup(*[
            Rectangle(width=0.5, height=v * 0.2, fill_color=BLUE, fill_opacity=0.8, stroke_width=1)
            for v in values
        ]).arrange(RIGHT, buff=0.1, aligned_edge=DOWN).shift(DOWN)
        self.play(Create(bars))

        comparisons = Integer(0).to_corner(UR)
        comp_label = Text("comparisons:", font_size=24).next_to(comparisons, LEFT)
        self.add(comp_label, comparisons)

        n = len(values)
        count = 0
        for i in range(n):
            swapped = False
            for j in range(n - i - 1):
                # highlight the pair being compared
                self.play(
                    bars[j].animate.set_fill(YELLOW),
                    bars[j + 1].animate.set_fill(YELLOW),
                    run_time=0.15,
                )
                count += 1
                comparisons.set_value(count)
                if values[j] > values[j + 1]:
                    values[j], values[j + 1] = values[j + 1], values[j]
                    x_left, x_right = bars[j].get_x(), bars[j + 1].get_x()
                    self.play(
                        bars[j].animate.set_x(x_right),
                        bars[j + 1].animate.set_x(x_left),
                        run_time=0.2,
                    )
                    bars.submobjects[j], bars.submobjects[j + 1] = bars.submobjects[j + 1], bars.submobjects[j]
                    swapped = True
                self.play(
                    bars[j].animate.set_fill(BLUE),
                    bars[j + 1].animate.set_fill(BLUE),
                    run_time=0.1,
                )
            bars[n - i - 1].set_fill(GREEN)
            if not swapped:
                break

        self.play(bars.animate.set_fill(GREEN), run_time=0.5)
        self.wait(1)
