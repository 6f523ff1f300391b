from manim import *
import random


class QuickSortVisualization(Scene):
    def construct(self):
        random.seed(11)
        values = [random.randint(1, 20) for _ in range(16)]

        bars = VGroup(*[
            Rectangle(width=0.45, height=0.25 * v, fill_opacity=0.9, fill_color=BLUE, stroke_width=1)
            for v in values
        ]).arrange(RIGHT, buff=0.08, aligned_edge=DOWN).shift(DOWN * 1.5)
        slots = [b.get_x() for b in bars]
        title = Text("Quicksort (Lomuto partition)", font_size=32).to_edge(UP)
        self.play(Write(title), FadeIn(bars))

        order = list(bars)  # order[i] is the bar currently in slot i

        def swap(i, j):
            if i == j:
                return
            self.play(order[i].animate.set_x(slots[j]), order[j].animate.set_x(slots[i]), run_time=0.2)
            order[i], order[j] = order[j], order[i]
            values[i], values[j] = values[j], values[i]

        def partition(lo, hi):
            pivot = values[hi]
            self.play(order[hi].animate.set_fill(RED), run_time=0.15)
            i = lo
            for j in range(lo, hi):
                self.play(order[j].animate.set_fill(YELLOW), run_time=0.1)
                if values[j] < pivot:
                    swap(i, j)
                    i += 1
                self.play(order[i - 1 if values[i - 1] < pivot and i > lo else j].animate.set_fill(BLUE), run_time=0.05)
            swap(i, hi)
            self.play(order[i].animate.set_fill(GREEN), run_time=0.15)
            return i

        def quicksort(lo, hi):
            if lo < hi:
                p = partition(lo, hi)
                quicksort(lo, p - 1)
                quicksort(p + 1, hi)
            elif lo == hi:
                self.play(order[lo].animate.set_fill(GREEN), run_time=0.1)

        quicksort(0, len(values) - 1)
        self.play(*[b.animate.set_fill(GREEN) for b in order])
        self.wait(1)
