from manim import *


class IntegerAddition(Scene):
    def construct(self):
        line = NumberLine(
            x_min=-6,
            x_max=6,
            unit_size=0.9,
            include_numbers=True,
            numbers_with_elongated_ticks=[0],
        )
        self.play(Create(line))

        # -2 + 5 = 3, as hops along the line
        start = Dot(line.n2p(-2), color=YELLOW)
        self.play(FadeIn(start, scale=0.5))
        for k in range(5):
            arc = ArcBetweenPoints(line.n2p(-2 + k), line.n2p(-1 + k), angle=-PI / 2, color=GREEN)
            self.play(Create(arc), start.animate.move_to(line.n2p(-1 + k)), run_time=0.5)

        result = MathTex("-2 + 5 = 3").to_edge(UP)
        self.play(Write(result))
        self.wait(2)
