from manim import *


class ConstantVelocity(Scene):
    def construct(self):
        title = Text("Position vs. time at constant velocity", font_size=32).to_edge(UP)
        self.play(Write(title))

        axes = Axes(x_range=[0, 5, 1], y_range=[0, 10, 2], x_length=7, y_length=4.5,
                    axis_config={"include_numbers": True}).shift(DOWN * 0.4)
        labels = axes.get_axis_labels(x_label="t\\,(s)", y_label="x\\,(m)")
        self.play(Create(axes), Write(labels))

        # x(t) = 2t is a straight line
        line = axes.plot_line(lambda t: 2 * t, color=YELLOW)
        self.play(Create(line))

        car = Dot(axes.c2p(0, 0), color=RED)
        self.play(FadeIn(car))
        self.play(car.animate.move_to(axes.c2p(5, 10)), run_time=3, rate_func=linear)
        eq = MathTex("x(t) = 2t").next_to(axes, RIGHT).shift(UP)
        self.play(Write(eq))
        self.wait()
