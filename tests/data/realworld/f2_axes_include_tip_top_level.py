from manim import *


class LogisticGrowth(Scene):
    def construct(self):
        axes = Axes(
            x_range=[0, 10, 2],
            y_range=[0, 1.2, 0.2],
            x_length=9,
            y_length=5,
            include_tip=False,
            include_numbers=True,
        )
        labels = axes.get_axis_labels(x_label="t", y_label="P(t)")
        self.play(Create(axes), Write(labels))

        logistic = axes.plot(lambda t: 1 / (1 + np.exp(-(t - 5))), color=GREEN)
        capacity = DashedLine(axes.c2p(0, 1), axes.c2p(10, 1), color=RED)
        k_label = MathTex("K", color=RED).next_to(capacity, RIGHT)

        equation = MathTex(r"\frac{dP}{dt} = rP\left(1 - \frac{P}{K}\right)").to_edge(UP)
        self.play(Write(equation))
        self.play(Create(logistic), run_time=2)
        self.play(Create(capacity), Write(k_label))
        self.wait(2)
