from manim import *


class DiceSumDistribution(Scene):
    def construct(self):
        # All 36 outcomes of two dice
        outcomes = list(it.product(range(1, 7), repeat=2))
        sums = [a + b for a, b in outcomes]
        counts = [sums.count(s) for s in range(2, 13)]

        chart = BarChart(
            counts,
            bar_names=[str(s) for s in range(2, 13)],
            y_range=[0, 7, 1],
            x_length=9,
            y_length=4.5,
            bar_colors=[BLUE, TEAL, GREEN],
        )
        title = Text("Sum of two dice", font_size=36).to_edge(UP)
        self.play(Write(title))
        self.play(Create(chart), run_time=2)
        seven = chart.bars[5]
        self.play(Indicate(seven, color=YELLOW))
        prob = MathTex(r"P(7) = \tfrac{6}{36} = \tfrac16").next_to(title, DOWN)
        self.play(Write(prob))
        self.wait(2)
