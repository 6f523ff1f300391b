from manim_imports_ext import *


class BaselProblem(Scene):
    def construct(self):
        series = OldTex(
            "\\sum_{n=1}^\\infty \\frac{1}{n^2}", "=",
            "1", "+", "\\frac{1}{4}", "+", "\\frac{1}{9}", "+", "\\cdots",
        )
        series.to_edge(UP)
        answer = OldTex("=", "\\frac{\\pi^2}{6}")
        answer.next_to(series, DOWN, buff=LARGE_BUFF)
        answer.set_color(YELLOW)

        words = OldTexText("Euler, 1734")
        words.to_corner(DR)

        self.play(Write(series))
        self.wait()
        self.play(FadeIn(answer, shift=DOWN))
        self.play(Write(words))

        # Partial sums approaching pi^2 / 6
        dots = VGroup()
        total = 0
        for n in range(1, 9):
            total += 1 / n ** 2
            dot = Dot(RIGHT * (total - 1.2) * 8 + DOWN, color=BLUE)
            dots.add(dot)
        limit_line = DashedLine(RIGHT * (PI ** 2 / 6 - 1.2) * 8 + 2 * DOWN, RIGHT * (PI ** 2 / 6 - 1.2) * 8, color=YELLOW)
        self.play(ShowCreation(limit_line))
        self.play(LaggedStartMap(FadeIn, dots, lag_ratio=0.3))
        self.wait(2)
