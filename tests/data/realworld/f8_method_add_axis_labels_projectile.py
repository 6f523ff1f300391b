from manim import *
import numpy as np


class ProjectileMotion(Scene):
    def construct(self):
        title = Text("Projectile motion", font_size=36).to_edge(UP)
        self.play(Write(title))

        ax = Axes(x_range=[0, 10, 2], y_range=[0, 5, 1], x_length=9, y_length=4.5).shift(DOWN * 0.5)
        ax.add_axis_labels("x", "y")
        self.play(Create(ax))

        v0, angle, g = 9.0, 50 * DEGREES, 9.8
        t_flight = 2 * v0 * np.sin(angle) / g
        path = ax.plot_parametric_curve(
            lambda t: np.array([v0 * np.cos(angle) * t, v0 * np.sin(angle) * t - 0.5 * g * t ** 2, 0]),
            t_range=[0, t_flight], color=YELLOW,
        )
        ball = Dot(ax.c2p(0, 0), color=RED)
        self.play(FadeIn(ball))
        self.play(MoveAlongPath(ball, path), Create(path), run_time=3, rate_func=linear)
        eq = MathTex(r"y = x\tan\theta - \frac{g x^2}{2v_0^2\cos^2\theta}").scale(0.8).to_corner(UR)
        self.play(Write(eq))
        self.wait()
