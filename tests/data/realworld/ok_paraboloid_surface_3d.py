from manim import *


class Paraboloid(ThreeDScene):
    def construct(self):
        axes = ThreeDAxes(x_range=[-2, 2, 1], y_range=[-2, 2, 1], z_range=[0, 4, 1], x_length=5, y_length=5, z_length=3)
        surface = Surface(
            lambda u, v: axes.c2p(u, v, 0.5 * (u**2 + v**2)),
            u_range=[-2, 2],
            v_range=[-2, 2],
            resolution=(12, 12),
            fill_opacity=0.7,
        )
        surface.set_fill_by_value(axes=axes, colorscale=[(BLUE, 0), (GREEN, 1), (YELLOW, 2)], axis=2)

        label = MathTex(r"z = \tfrac{1}{2}(x^2 + y^2)").to_corner(UL)

        self.set_camera_orientation(phi=70 * DEGREES, theta=-45 * DEGREES)
        self.add_fixed_in_frame_mobjects(label)
        self.play(Create(axes))
        self.play(Create(surface), run_time=2)
        self.begin_ambient_camera_rotation(rate=0.3)
        self.wait(3)
        self.stop_ambient_camera_rotation()
        self.wait(0.5)
