from manim import *


class SupplyDemand(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 10, 2], y_range=[0, 10, 2], x_length=6, y_length=5).shift(LEFT)
        x_label = axes.get_x_axis_label("Q")
        y_label = axes.get_y_axis_label("P")
        self.play(Create(axes), Write(x_label), Write(y_label))

        supply = axes.plot(lambda q: 1 + 0.8 * q, x_range=[0, 10], color=BLUE)
        demand = axes.plot(lambda q: 9 - 0.7 * q, x_range=[0, 10], color=RED)
        self.play(Create(supply), Create(demand))

        # Equilibrium where 1 + 0.8q = 9 - 0.7q
        q_star = 8 / 1.5
        p_star = 1 + 0.8 * q_star
        eq_dot = Dot(axes.c2p(q_star, p_star), color=YELLOW)
        self.play(FadeIn(eq_dot), FadeIn(legend))

        lines = axes.get_lines_to_point(axes.c2p(q_star, p_star), color=YELLOW)
        self.play(Create(lines))
        self.wait(2)
