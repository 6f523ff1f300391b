from manim import *


class SpiralScene(Scene):
    def construct(self):
        spiral = ParametricFunction(
            lambda t: np.array([0.3 * t * np.cos(t), 0.3 * t * np.sin(t), 0]),
            t_min=0,
            t_max=4 * PI,
            color=PURPLE,
        )
        self.play(Create(spiral), run_time=0.6)
        self.wait(0.2)
