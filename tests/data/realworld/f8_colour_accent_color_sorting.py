from manim import *


class BinarySearch(Scene):
    def construct(self):
        title = Text("Binary search for 23", font_size=34).to_edge(UP)
        self.play(Write(title))
        values = [2, 5, 8, 12, 16, 23, 38, 56, 72, 91]
        cells = VGroup(*[VGroup(Square(0.8), Text(str(v), font_size=24)) for v in values]).arrange(RIGHT, buff=0.05)
        self.play(Create(cells))
        lo, hi = 0, len(values) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            self.play(cells[mid][0].animate.set_fill(ACCENT_COLOR, opacity=0.6), run_time=0.5)
            if values[mid] == 23:
                break
            lo, hi = (mid + 1, hi) if values[mid] < 23 else (lo, mid - 1)
        self.play(Indicate(cells[mid]))
        self.wait()
