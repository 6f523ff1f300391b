from manim import *


class StandardBasis3D(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=65 * DEGREES, theta=-45 * DEGREES)
        axes = ThreeDAxes(x_range=[-3, 3], y_range=[-3, 3], z_range=[-3, 3])
        self.play(Create(axes))
        i = Vector3D([2, 0, 0], color=RED)
        j = Vector3D([0, 2, 0], color=GREEN)
        k = Vector3D([0, 0, 2], color=BLUE)
        self.play(Create(i), Create(j), Create(k))
        label = MathTex(r"\hat\imath,\ \hat\jmath,\ \hat k").to_corner(UL)
        self.add_fixed_in_frame_mobjects(label)
        self.play(Write(label))
        self.wait()
