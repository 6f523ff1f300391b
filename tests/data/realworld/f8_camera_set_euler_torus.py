from manim import *
import numpy as np


class TorusSurface(ThreeDScene):
    def construct(self):
        self.camera.set_euler_angles(phi=60 * DEGREES, theta=-30 * DEGREES)
        torus = Torus(major_radius=2, minor_radius=0.6, resolution=(16, 16))
        torus.set_fill_by_checkerboard(ORANGE, RED, opacity=0.8)
        self.play(Create(torus), run_time=2)
        name = Text("Torus", font_size=36).to_corner(UL)
        self.add_fixed_in_frame_mobjects(name)
        self.play(Write(name))
        self.play(Rotate(torus, angle=PI / 2, axis=RIGHT), run_time=2)
        self.wait()
