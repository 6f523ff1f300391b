import numpy as np


class WaveScene(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 6, 1], y_range=[-1, 1, 0.5], x_length=8, y_length=3)
        wave = axes.plot(lambda x: np.sin(2 * x), color=TEAL)
        self.play(Create(axes), run_time=0.4)
        self.play(Create(wave), run_time=0.5)
        self.wait(0.2)
