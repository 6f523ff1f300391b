from manim import *


class SineCosine(Scene):
    def construct(self):
        axes = Axes(
            x_range=[-PI, PI, PI / 2],
            y_range=[-1.5, 1.5, 0.5],
            x_length=10,
            y_length=5,
            axis_config={"color": BLUE},
        )

        # Graphs of sine and cosine
        sin_graph = axes.get_graph(lambda x: np.sin(x), color=YELLOW)
        cos_graph = axes.get_graph(lambda x: np.cos(x), color=GREEN)

        sin_label = axes.get_graph_label(sin_graph, label=r"\sin(x)", x_val=PI / 2, direction=UP)
        cos_label = axes.get_graph_label(cos_graph, label=r"\cos(x)", x_val=-PI / 2, direction=DOWN)

        self.play(Create(axes))
        self.play(Create(sin_graph), Write(sin_label))
        self.play(Create(cos_graph), Write(cos_label))
        self.wait()

        # Show the phase shift
        shift_text = MathTex(r"\cos(x) = \sin\left(x + \frac{\pi}{2}\right)").to_edge(UP)
        self.play(Write(shift_text))
        self.wait(2)
