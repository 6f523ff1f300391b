from manim import *


class DerivativeTangent(Scene):
    """Visualize the derivative of f(x) = x^2 as the slope of a moving tangent line."""

    def construct(self):
        # Set up the axes
        axes = Axes(
            x_range=[-3, 3, 1],
            y_range=[-1, 9, 2],
            x_length=7,
            y_length=5,
            axis_config={"include_tip": True, "color": GREY_B},
        ).to_edge(DOWN)
        labels = axes.get_axis_labels(x_label="x", y_label="f(x)")

        # The function
        func = lambda x: x**2
        graph = axes.plot(func, x_range=[-3, 3], color=BLUE)
        graph_label = axes.get_graph_label(graph, label=MathTex("f(x)=x^2"), x_val=2.2, direction=RIGHT)

        title = Text("The derivative as a slope", font_size=36).to_edge(UP)

        self.play(Write(title))
        self.play(Create(axes), Write(labels))
        self.play(Create(graph), FadeIn(graph_label))
        self.wait(0.5)

        # A tracker for the x position of the tangent point
        x_tracker = ValueTracker(-2)

        dot = always_redraw(
            lambda: Dot(axes.c2p(x_tracker.get_value(), func(x_tracker.get_value())), color=YELLOW)
        )

        def tangent_line():
            x = x_tracker.get_value()
            slope = 2 * x
            x0, x1 = x - 1.2, x + 1.2
            return Line(
                axes.c2p(x0, func(x) + slope * (x0 - x)),
                axes.c2p(x1, func(x) + slope * (x1 - x)),
                color=YELLOW,
            )

        tangent = always_redraw(tangent_line)

        slope_text = always_redraw(
            lambda: MathTex(
                rf"f'({x_tracker.get_value():.1f}) = {2 * x_tracker.get_value():.1f}",
                font_size=36,
            ).to_corner(UR)
        )

        self.play(FadeIn(dot), Create(tangent))
        self.add(slope_text)
        self.wait(0.5)

        # Sweep the tangent along the curve
        self.play(x_tracker.animate.set_value(2), run_time=4, rate_func=linear)
        self.wait(0.5)
        self.play(x_tracker.animate.set_value(0), run_time=2)
        self.wait(1)
