from manim import *


class BinarySearch(Scene):
    def construct(self):
        data = [2, 5, 8, 12, 16, 23, 38, 56, 72, 91]
        target = 23

        cells = VGroup()
        for value in data:
            box = Square(side_length=0.9)
            num = Text(str(value), font_size=28)
            cells.add(VGroup(box, num))
        cells.arrange(RIGHT, buff=0.05)

        title = Text(f"Binary search for {target}", font_size=36).to_edge(UP)
        self.play(Write(title))
        self.play(Create(cells))

        lo, hi = 0, len(data) - 1
        lo_arrow = Arrow(DOWN, UP, color=BLUE).scale(0.5).next_to(cells[lo], DOWN)
        hi_arrow = Arrow(DOWN, UP, color=RED).scale(0.5).next_to(cells[hi], DOWN)
        self.play(GrowArrow(lo_arrow), GrowArrow(hi_arrow))

        while lo <= hi:
            mid = (lo + hi) // 2
            self.play(cells[mid][0].animate.set_fill(YELLOW, opacity=0.5), run_time=0.5)
            if data[mid] == target:
                self.play(cells[mid][0].animate.set_fill(GREEN, opacity=0.8))
                break
            elif data[mid] < target:
                lo = mid + 1
                self.play(lo_arrow.animate.next_to(cells[lo], DOWN), cells[mid][0].animate.set_fill(opacity=0))
            else:
                hi = mid - 1
                self.play(hi_arrow.animate.next_to(cells[hi], DOWN), cells[mid][0].animate.set_fill(opacity=0))

        found = Text(f"found at index {mid}", font_size=30, color=GREEN).next_to(cells, DOWN, buff=1.5)
        self.play(Write(found))
        self.wait(2)
