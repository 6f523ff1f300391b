from manim import *


class SaddleSurface(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=65 * DEGREES, theta=-45 * DEGREES)
        axes = ThreeDAxes(x_range=[-2, 2], y_range=[-2, 2], z_range=[-2, 2])
        self.play(Create(axes))

        saddle = Surface(
            lambda u, v: axes.c2p(u, v, u ** 2 - v ** 2),
            u_range=[-1.4, 1.4], v_range=[-1.4, 1.4], resolution=(16, 16),
        )
        saddle.set_fill_by_checkerboard(BLUE, TEAL, opacity=0.7)
        self.play(Create(saddle), run_time=2)

        # mark the saddle point at the origin
        point = Dot3D(saddle.u2p(0, 0), color=RED)
        self.play(FadeIn(point))
        label = MathTex("z = x^2 - y^2").to_corner(UL)
        self.add_fixed_in_frame_mobjects(label)
        self.play(Write(label))
        self.begin_ambient_camera_rotation(rate=0.3)
        self.wait(3)
