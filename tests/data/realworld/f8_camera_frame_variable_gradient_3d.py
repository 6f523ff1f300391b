from manim import *
import numpy as np


class Paraboloid(ThreeDScene):
    def construct(self):
        frame = self.camera.frame
        frame.set_euler_angles(phi=65 * DEGREES, theta=-60 * DEGREES)
        axes = ThreeDAxes(x_range=[-2, 2], y_range=[-2, 2], z_range=[0, 4])
        bowl = Surface(lambda u, v: axes.c2p(u, v, u ** 2 + v ** 2), u_range=[-1.4, 1.4], v_range=[-1.4, 1.4],
                       resolution=(12, 12))
        self.play(Create(axes))
        self.play(Create(bowl))
        label = MathTex("z = x^2 + y^2").to_corner(UL)
        self.add_fixed_in_frame_mobjects(label)
        self.play(Write(label))
        self.wait()
