from manim import *


class FractalTree(Scene):
    def branch(self, start, angle, length, depth):
        """Recursively draw a binary tree."""
        end = start + length * np.array([np.cos(angle), np.sin(angle), 0])
        lines = VGroup(Line(start, end, stroke_width=max(depth, 1), color=GREEN))
        if length < 0.05:
            return lines
        lines.add(self.branch(end, angle + PI / 6, length, depth - 1))
        lines.add(self.branch(end, angle - PI / 6, length, depth - 1))
        return lines

    def construct(self):
        tree = self.branch(DOWN * 3, PI / 2, 1.6, 7)
        self.play(Create(tree), run_time=3)
        self.wait(2)
