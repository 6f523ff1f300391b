from manim import *
import math


class RelativisticSpeed(Scene):
    def construct(self):
        title = MathTex(r"\gamma = \frac{1}{\sqrt{1 - v^2/c^2}}").to_edge(UP)
        self.play(Write(title))
        speeds = [0.1, 0.5, 0.9, 1.2]
        rows = VGroup()
        for v in speeds:
            gamma = 1 / math.sqrt(1 - v ** 2)
            row = MathTex(f"v = {v}c", r"\Rightarrow", f"\\gamma = {gamma:.2f}")
            rows.add(row)
            rows.arrange(DOWN, buff=0.4)
            self.play(Write(row))
        self.wait()
