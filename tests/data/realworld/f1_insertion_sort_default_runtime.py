from manim import *
import random


class InsertionSort(Scene):
    def construct(self):
        random.seed(3)
        values = [random.randint(1, 30) for _ in range(22)]

        # Create bars
        bars = VGroup()
        for v in values:
            bars.add(Rectangle(width=0.4, height=v * 0.15, fill_color=TEAL, fill_opacity=1, stroke_width=0))
        bars.arrange(RIGHT, buff=0.1, aligned_edge=DOWN).to_edge(DOWN, buff=1)
        slots = [b.get_x() for b in bars]

        title = Text("Insertion Sort", font_size=42).to_edge(UP)
        self.play(Write(title))
        self.play(FadeIn(bars))

        order = list(bars)
        for i in range(1, len(values)):
            key_bar = order[i]
            key = values[i]
            self.play(key_bar.animate.set_fill(RED))
            j = i - 1
            while j >= 0 and values[j] > key:
                # shift the larger bar one slot to the right
                self.play(order[j].animate.set_x(slots[j + 1]))
                values[j + 1] = values[j]
                order[j + 1] = order[j]
                j -= 1
            values[j + 1] = key
            order[j + 1] = key_bar
            self.play(key_bar.animate.set_x(slots[j + 1]))
            self.play(key_bar.animate.set_fill(TEAL))

        self.play(*[b.animate.set_fill(GREEN) for b in order])
        self.wait()
