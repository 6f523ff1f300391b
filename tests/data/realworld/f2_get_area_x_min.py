from manim import *


class AreaUnderCurve(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 5, 1], y_range=[0, 6, 1], x_length=7, y_length=5, tips=False)
        axes_labels = axes.get_axis_labels()
        curve = axes.plot(lambda x: 0.2 * (x - 1) ** 2 + 1, x_range=[0, 5], color=BLUE_C)

        self.play(Create(axes), Write(axes_labels))
        self.play(Create(curve))

        # Shade the area between x = 1 and x = 4
        area = axes.get_area(curve, x_min=1, x_max=4, color=BLUE, opacity=0.4)
        self.play(FadeIn(area))

        integral = MathTex(r"\int_1^4 \left(0.2(x-1)^2 + 1\right)\,dx = 4.8").to_corner(UR)
        self.play(Write(integral))
        self.wait(2)
