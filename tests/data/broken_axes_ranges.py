from manim import *


class OldAxesScene(Scene):
    def construct(self):
        axes = Axes(x_min=-2, x_max=2, y_min=-1, y_max=4, x_length=6, y_length=4)
        line = NumberLine(x_min=0, x_max=5, unit_size=1).to_edge(DOWN)
        graph = FunctionGraph(lambda x: x ** 2 / 2, x_min=-2, x_max=2, color=RED)
        self.play(Create(axes), Create(line), run_time=0.5)
        self.play(Create(graph), run_time=0.5)
        self.wait(0.2)
