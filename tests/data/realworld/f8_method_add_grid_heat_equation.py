from manim import *
import numpy as np


class HeatEquation(Scene):
    def construct(self):
        title = MathTex(r"\frac{\partial u}{\partial t} = \alpha \frac{\partial^2 u}{\partial x^2}").to_edge(UP)
        self.play(Write(title))
        ax = Axes(x_range=[0, PI], y_range=[0, 1.2], x_length=8, y_length=4).shift(DOWN * 0.5)
        ax.add_grid()
        self.play(Create(ax))
        t = ValueTracker(0)
        temp = always_redraw(lambda: ax.plot(lambda x: np.exp(-t.get_value()) * np.sin(x), color=ORANGE))
        self.play(Create(temp))
        self.play(t.animate.set_value(2), run_time=3)
        self.wait()
