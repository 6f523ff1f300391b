from manim import *
import numpy as np


class GradientDescentContours(Scene):
    """200 iterations of gradient descent on an elongated quadratic bowl, one animation each."""

    def construct(self):
        A = np.array([[1.0, 0.0], [0.0, 8.0]])

        def loss(p):
            return 0.5 * p @ A @ p

        def grad(p):
            return A @ p

        axes = Axes(x_range=[-5, 5, 1], y_range=[-2.5, 2.5, 1], x_length=10, y_length=5)
        self.add(axes)

        # level sets are ellipses
        contours = VGroup()
        for level in [0.5, 2, 4, 8, 12]:
            a = np.sqrt(2 * level / A[0, 0])
            b = np.sqrt(2 * level / A[1, 1])
            contours.add(Ellipse(width=axes.x_axis.unit_size * 2 * a, height=axes.y_axis.unit_size * 2 * b,
                                 color=BLUE_D, stroke_width=2).move_to(axes.c2p(0, 0)))
        self.play(Create(contours))

        lr = 0.12
        p = np.array([-4.5, 1.5])
        dot = Dot(axes.c2p(*p), color=RED)
        trail = VGroup()
        loss_value = DecimalNumber(loss(p), num_decimal_places=4).to_corner(UR)
        loss_label = MathTex("L = ").next_to(loss_value, LEFT)
        self.play(FadeIn(dot), Write(loss_label), FadeIn(loss_value))

        for it in range(200):
            new_p = p - lr * grad(p)
            segment = Line(axes.c2p(*p), axes.c2p(*new_p), color=RED, stroke_width=2)
            trail.add(segment)
            self.play(dot.animate.move_to(axes.c2p(*new_p)), Create(segment),
                      ChangeDecimalToValue(loss_value, loss(new_p)), run_time=0.05)
            p = new_p

        self.play(Flash(dot))
        self.wait(1)
