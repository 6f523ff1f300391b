from manim import *


class HeatEquation1D(Scene):
    def construct(self):
        title = MathTex(r"\frac{\partial u}{\partial t} = \alpha \frac{\partial^2 u}{\partial x^2}").to_edge(UP)
        self.play(Write(title))

        axes = Axes(
            x_range=[0, PI, PI / 4],
            y_range=[0, 1.2, 0.2],
            x_length=8,
            y_length=4.5,
            tips=False,
        ).shift(DOWN * 0.5)
        self.play(Create(axes))

        t = ValueTracker(0)
        alpha = 1.0

        def temperature(x):
            tt = t.get_value()
            return np.exp(-alpha * tt) * np.sin(x) + 0.3 * np.exp(-9 * alpha * tt) * np.sin(3 * x)

        curve = always_redraw(lambda: axes.plot(temperature, x_range=[0, PI], color=RED))
        self.play(Create(curve))
        self.play(t.animate.set_value(1.5), run_time=4, rate_func=linear)
        self.wait()

        # Color the rod by temperature
        rod = Rectangle(width=8, height=0.4).next_to(axes, DOWN)
        legend = axes.get_axis_labels(x_label="x", y_label="u")
        style = {
            "fill_opacity": 0.9,
            "stroke_width": 1,
            "sheen_factor": 0.2
