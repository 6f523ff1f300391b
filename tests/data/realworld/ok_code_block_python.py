from manim import *

SNIPPET = '''def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
'''


class FibonacciCode(Scene):
    def construct(self):
        code = Code(
            code_string=SNIPPET,
            language="python",
            background="window",
            formatter_style="monokai",
        ).scale(0.8).to_edge(LEFT)
        self.play(FadeIn(code))

        seq = VGroup(*[MathTex(str(x)) for x in [0, 1, 1, 2, 3, 5, 8, 13]]).arrange(RIGHT, buff=0.4)
        seq.next_to(code, RIGHT, buff=0.8)
        self.play(LaggedStart(*[Write(s) for s in seq], lag_ratio=0.3))

        ratio = MathTex(r"\frac{F_{n+1}}{F_n} \to \varphi \approx 1.618").next_to(seq, DOWN, buff=0.8)
        self.play(Write(ratio))
        self.wait(2)
