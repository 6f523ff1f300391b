from manim import *


class CrossProduct(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=70 * DEGREES, theta=-45 * DEGREES)
        axes = ThreeDAxes(x_range=[-3, 3], y_range=[-3, 3], z_range=[-3, 3])
        self.play(Create(axes))

        a = Arrow3D(ORIGIN, [2, 0, 0], color=RED)
        b = Arrow3D(ORIGIN, [0, 2, 0], color=GREEN)
        c = Arrow3D(ORIGIN, [0, 0, 2.5], color=YELLOW)
        self.play(Create(a), Create(b))
        self.play(Create(c))
        eq = MathTex(r"\vec a \times \vec b \perp \vec a, \vec b").to_corner(UL)
        self.add_fixed_in_frame_mobjects(eq)
        self.play(Write(eq))
        self.play(self.camera.animate.set_phi(45 * DEGREES), run_time=2)
        self.wait()
