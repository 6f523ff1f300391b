from manim import *


class PlotQuadratic(GraphScene):
    CONFIG = {
        "x_min": -3,
        "x_max": 3,
        "y_min": -1,
        "y_max": 9,
        "graph_origin": DOWN * 2.5,
        "function_color": RED,
        "axes_color": GREEN,
        "x_labeled_nums": range(-3, 4, 1),
        "y_labeled_nums": range(0, 10, 2),
    }

    def construct(self):
        self.setup_axes(animate=True)
        graph = self.get_graph(lambda x: x**2, self.function_color)
        graph_label = self.get_graph_label(graph, label="x^2")

        self.play(ShowCreation(graph), Write(graph_label))
        self.wait()

        # Mark the vertex
        vertex = Dot(self.coords_to_point(0, 0), color=YELLOW)
        vertex_label = TexMobject("(0, 0)").next_to(vertex, DR, buff=0.1)
        self.play(FadeIn(vertex), Write(vertex_label))

        # A point moving along the curve
        moving = Dot(self.input_to_graph_point(-3, graph), color=BLUE)
        self.play(MoveAlongPath(moving, graph), run_time=3)
        self.wait(2)
