from manim import *
import numpy as np

# Physical constants
G = 9.8
V0 = 12.0
THETA = 50 * DEGREES


class ProjectileMotion(Scene):
    def construct(self):
        t_flight = 2 * V0 * np.sin(THETA) / G
        x_max = V0 * np.cos(THETA) * t_flight
        h_max = (V0 * np.sin(THETA)) ** 2 / (2 * G)

        axes = Axes(
            x_range=[0, x_max + 1, 2],
            y_range=[0, h_max + 1, 1],
            x_length=10,
            y_length=4,
            axis_config={"include_numbers": True, "font_size": 20},
        ).to_edge(DOWN)
        self.play(Create(axes))

        def position(t):
            return axes.c2p(V0 * np.cos(THETA) * t, V0 * np.sin(THETA) * t - 0.5 * G * t**2)

        path = ParametricFunction(position, t_range=[0, t_flight], color=ORANGE)
        ball = Dot(position(0), color=RED, radius=0.1)

        eqs = VGroup(
            MathTex(r"x(t) = v_0 \cos\theta \, t"),
            MathTex(r"y(t) = v_0 \sin\theta \, t - \tfrac{1}{2} g t^2"),
        ).arrange(DOWN, aligned_edge=LEFT).scale(0.7).to_corner(UR)

        self.play(Write(eqs))
        self.add(ball)
        self.play(MoveAlongPath(ball, path), Create(path), run_time=3, rate_func=linear)

        # Mark the highest point
        peak = Dot(position(t_flight / 2), color=YELLOW)
        peak_label = MathTex(r"h_{max}").next_to(peak, UP)
        self.play(FadeIn(peak), Write(peak_label))
        self.wait(2)
