from manim import *


class ExponentialGrowth(Scene):
    def construct(self):
        # Create axes
        axes = Axes(
            x_min=0,
            x_max=5,
            y_min=0,
            y_max=30,
            x_axis_config={"tick_frequency": 1},
            y_axis_config={"tick_frequency": 5},
        )
        axes.to_edge(DOWN)

        title = Text("Exponential growth", font_size=36).to_edge(UP)
        self.play(Write(title))
        self.play(Create(axes))

        # Plot e^x and 2^x
        exp_graph = axes.plot(lambda x: np.exp(x), x_range=[0, 3.3], color=RED)
        pow_graph = axes.plot(lambda x: 2**x, x_range=[0, 4.8], color=BLUE)
        exp_label = MathTex("e^x", color=RED).next_to(exp_graph.get_end(), RIGHT)
        pow_label = MathTex("2^x", color=BLUE).next_to(pow_graph.get_end(), RIGHT)

        self.play(Create(exp_graph), Write(exp_label))
        self.play(Create(pow_graph), Write(pow_label))
        self.wait(2)
