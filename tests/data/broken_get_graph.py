from manim import *


class SineGraph(Scene):
    def construct(self):
        axes = Axes(x_range=[-4, 4, 1], y_range=[-1.5, 1.5, 0.5], x_length=8, y_length=4)
        sine = axes.get_graph(lambda x: np.sin(x), color=BLUE, x_min=-3, x_max=3)
        self.play(Create(axes), run_time=0.5)
        self.play(Create(sine), run_time=0.5)
        self.wait(0.2)
