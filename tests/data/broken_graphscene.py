from manim import *


class ParabolaGraph(GraphScene):
    CONFIG = {
        "x_min": -3,
        "x_max": 3,
        "y_min": 0,
        "y_max": 9,
        "graph_origin": 3 * DOWN,
        "axes_color": BLUE,
    }

    def construct(self):
        self.setup_axes(animate=False)
        graph = self.get_graph(lambda x: x ** 2, color=YELLOW)
        dot = Dot(self.coords_to_point(2, 4), color=RED)
        self.play(Create(graph), run_time=0.5)
        self.play(FadeIn(dot), run_time=0.3)
        self.wait(0.2)
