from manim import *
import numpy as np


class Helix3D(ThreeDScene):
    def construct(self):
        axes = ThreeDAxes(x_range=[-3, 3], y_range=[-3, 3], z_range=[0, 6])
        self.camera.frame.set_euler_angles(theta=30 * DEGREES, phi=70 * DEGREES)
        self.play(Create(axes))

        helix = ParametricFunction(lambda t: np.array([2 * np.cos(t), 2 * np.sin(t), 0.3 * t]),
                                   t_range=[0, 6 * PI], color=YELLOW)
        self.play(Create(helix), run_time=3)
        label = MathTex(r"(\cos t, \sin t, ct)").to_corner(UL)
        self.add_fixed_in_frame_mobjects(label)
        self.play(Write(label))
        self.wait()
