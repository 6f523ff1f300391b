from manim import *


class DefiniteIntegral(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 5, 1], y_range=[0, 6, 1], x_length=7, y_length=4.5)
        graph = axes.plot(lambda x: 0.25 * x ** 2 + 1, color=BLUE)
        self.play(Create(axes), Create(graph))

        # the area under the curve between 1 and 4
        area = axes.get_area_under_graph(graph, x_range=[1, 4], color=GREEN, opacity=0.5)
        self.play(FadeIn(area))

        integral = MathTex(r"\int_1^4 \left(\tfrac14 x^2 + 1\right)dx = 8.25").to_corner(UL)
        self.play(Write(integral))
        rects = axes.get_riemann_rectangles(graph, x_range=[1, 4], dx=0.5, fill_opacity=0.6)
        self.play(Transform(area, rects))
        self.wait(2)
