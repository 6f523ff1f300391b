from manim import *
import numpy as np


class LorenzAttractor(ThreeDScene):
    def construct(self):
        self.frame.reorient(30, 70)
        axes = ThreeDAxes(x_range=[-3, 3], y_range=[-3, 3], z_range=[0, 5])
        self.play(Create(axes))
        # integrate a short trajectory
        dt, p = 0.01, np.array([0.1, 0.0, 0.0])
        pts = []
        for _ in range(1500):
            x, y, z = p
            p = p + dt * np.array([10 * (y - x), x * (28 - z) - y, x * y - 8 / 3 * z])
            pts.append(p * np.array([0.1, 0.1, 0.1]))
        curve = VMobject(color=TEAL).set_points_smoothly(pts[::5])
        self.play(Create(curve), run_time=3)
        self.wait()
