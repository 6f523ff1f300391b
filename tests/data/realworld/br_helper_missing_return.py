from manim import *


class HexagonalPacking(Scene):
    def make_row(self, n, y, offset):
        row = VGroup()
        for i in range(n):
            row.add(Circle(radius=0.4, color=BLUE, fill_opacity=0.4).move_to([offset + i * 0.8 - 3, y, 0]))

    def construct(self):
        rows = VGroup()
        for k in range(5):
            offset = 0.4 if k % 2 else 0
            rows.add(self.make_row(8, -1.6 + 0.7 * k, offset))
        self.play(LaggedStart(*[FadeIn(r) for r in rows], lag_ratio=0.2))

        density = MathTex(r"\frac{\pi}{2\sqrt{3}} \approx 0.9069").to_edge(UP)
        self.play(Write(density))
        self.wait(2)
