from manim import *


class SaddleSurface(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=65 * DEGREES, theta=-60 * DEGREES)
        axes = ThreeDAxes(x_range=[-2, 2], y_range=[-2, 2], z_range=[-2, 2], x_length=5, y_length=5, z_length=4)

        saddle = ParametricSurface(
            lambda u, v: axes.c2p(u, v, (u**2 - v**2) / 2),
            u_min=-1.5,
            u_max=1.5,
            v_min=-1.5,
            v_max=1.5,
            resolution=(12, 12),
            checkerboard_colors=[BLUE_D, BLUE_E],
        )
        label = MathTex(r"z = \frac{x^2 - y^2}{2}").to_corner(UL)
        self.add_fixed_in_frame_mobjects(label)

        self.play(Create(axes))
        self.play(Create(saddle), run_time=2)
        self.begin_ambient_camera_rotation(rate=0.4)
        self.wait(3)
