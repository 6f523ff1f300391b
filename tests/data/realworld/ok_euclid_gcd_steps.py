from manim import *


class EuclideanAlgorithm(Scene):
    def construct(self):
        a, b = 1071, 462
        title = Text(f"gcd({a}, {b})", font_size=40).to_edge(UP)
        self.play(Write(title))

        lines = VGroup()
        while b:
            q, r = divmod(a, b)
            line = MathTex(rf"{a} = {q} \cdot {b} + {r}")
            lines.add(line)
            a, b = b, r
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(title, DOWN, buff=0.6)

        for line in lines:
            self.play(Write(line), run_time=0.8)
        result = MathTex(rf"\gcd = {a}", color=YELLOW).next_to(lines, DOWN, buff=0.5)
        self.play(Write(result))
        self.play(Circumscribe(result))
        self.wait(2)
