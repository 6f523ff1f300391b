from manim import *


class UnitCircleSine(Scene):
    def construct(self):
        # Left: unit circle; right: the sine graph being traced
        circle = Circle(radius=1.5, color=WHITE).shift(LEFT * 4)
        center = circle.get_center()
        axes = Axes(x_range=[0, TAU, PI / 2], y_range=[-1.5, 1.5, 0.5], x_length=6, y_length=3).shift(RIGHT * 2)

        angle = ValueTracker(0)
        dot = always_redraw(
            lambda: Dot(center + 1.5 * np.array([np.cos(angle.get_value()), np.sin(angle.get_value()), 0]), color=YELLOW)
        )
        radius = always_redraw(lambda: Line(center, dot.get_center(), color=YELLOW))
        graph_dot = always_redraw(
            lambda: Dot(axes.c2p(angle.get_value(), np.sin(angle.get_value())), color=RED)
        )
        connector = always_redraw(
            lambda: DashedLine(dot.get_center(), graph_dot.get_center(), color=GREY)
        )
        trace = TracedPath(graph_dot.get_center, stroke_color=RED, stroke_width=3)

        label = MathTex(r"y = \sin\theta").next_to(axes, UP)

        self.play(Create(circle), Create(axes))
        self.add(radius, dot, graph_dot, connector, trace)
        self.play(Write(label))
        self.play(angle.animate.set_value(TAU), run_time=6, rate_func=linear)
        self.wait()
