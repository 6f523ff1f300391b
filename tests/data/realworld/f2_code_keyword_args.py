from manim import *


class RecursionCode(Scene):
    def construct(self):
        code_text = '''def factorial(n):
    if n == 0:
        return 1
    return n * factorial(n - 1)
'''
        code = Code(
            code=code_text,
            tab_width=4,
            background="window",
            language="Python",
            font="Monospace",
            style="monokai",
            insert_line_no=True,
        )
        code.scale(0.9).to_edge(UP)
        self.play(Create(code), run_time=2)

        # Show the call stack for factorial(3)
        calls = VGroup(*[
            Text(f"factorial({k})", font_size=26) for k in [3, 2, 1, 0]
        ]).arrange(DOWN, aligned_edge=LEFT).next_to(code, DOWN, buff=0.5)
        for call in calls:
            self.play(FadeIn(call, shift=RIGHT), run_time=0.5)

        result = MathTex("3! = 6", color=YELLOW).next_to(calls, RIGHT, buff=1)
        self.play(Write(result))
        self.wait(2)
