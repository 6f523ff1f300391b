from manim import *


class SlopeField(Scene):
    """Slope field of dy/dx = y / x with one solution curve."""

    def construct(self):
        axes = Axes(x_range=[-4, 4, 1], y_range=[-3, 3, 1], x_length=8, y_length=6)
        self.play(Create(axes))

        segments = VGroup()
        for x in range(-4, 5):
            for y in range(-3, 4):
                slope = y / x
                direction = np.array([1, slope, 0]) / np.sqrt(1 + slope**2)
                center = axes.c2p(x, y)
                segments.add(Line(center - 0.25 * direction, center + 0.25 * direction, stroke_width=2))
        self.play(Create(segments), run_time=2)

        solution = axes.plot(lambda x: 0.6 * x, color=YELLOW)
        self.play(Create(solution))
        self.wait(2)
