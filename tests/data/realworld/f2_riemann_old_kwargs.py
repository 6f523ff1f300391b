from manim import *


class LeftRightRiemann(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 3, 1], y_range=[0, 10, 2], x_length=6, y_length=5).shift(LEFT * 2)
        graph = axes.plot(lambda x: x**2, x_range=[0, 3], color=WHITE)
        self.play(Create(axes), Create(graph))

        left = axes.get_riemann_rectangles(
            graph,
            x_min=0,
            x_max=3,
            dx=0.5,
            input_sample_type="left",
            fill_opacity=0.5,
            start_color=BLUE,
            end_color=GREEN,
        )
        right = axes.get_riemann_rectangles(
            graph,
            x_min=0,
            x_max=3,
            dx=0.5,
            input_sample_type="right",
            fill_opacity=0.5,
            start_color=BLUE,
            end_color=GREEN,
        )
        under = MathTex(r"L_6 = 6.875 < 9").to_edge(RIGHT).shift(UP)
        over = MathTex(r"R_6 = 11.375 > 9").to_edge(RIGHT).shift(DOWN)

        self.play(Create(left), Write(under))
        self.wait()
        self.play(ReplacementTransform(left, right), Write(over))
        self.wait(2)
