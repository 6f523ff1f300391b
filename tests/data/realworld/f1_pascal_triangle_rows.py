from manim import *
from math import comb


class PascalTriangle(Scene):
    def construct(self):
        rows = 10
        title = Tex("Pascal's triangle").to_edge(UP)
        self.play(Write(title))

        entries = {}
        for n in range(rows):
            for k in range(n + 1):
                tex = MathTex(str(comb(n, k)), font_size=28)
                tex.move_to(UP * (2.6 - n * 0.55) + RIGHT * (k - n / 2) * 0.75)
                entries[(n, k)] = tex

        # Row by row: the edges are 1, inner entries are sums of the two above
        for n in range(rows):
            for k in range(n + 1):
                if 0 < k < n:
                    left, right = entries[(n - 1, k - 1)], entries[(n - 1, k)]
                    self.play(
                        left.animate.set_color(YELLOW), right.animate.set_color(YELLOW), run_time=0.15
                    )
                    self.play(TransformFromCopy(VGroup(left, right), entries[(n, k)]), run_time=0.3)
                    self.play(left.animate.set_color(WHITE), right.animate.set_color(WHITE), run_time=0.1)
                else:
                    self.play(FadeIn(entries[(n, k)]), run_time=0.15)

        identity = MathTex(r"\binom{n}{k} = \binom{n-1}{k-1} + \binom{n-1}{k}").to_edge(DOWN)
        self.play(Write(identity))
        self.wait(2)
