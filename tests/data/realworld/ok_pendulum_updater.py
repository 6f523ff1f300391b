from manim import *
import numpy as np


class SimplePendulum(Scene):
    def construct(self):
        length = 3.0
        g = 9.8
        theta0 = 40 * DEGREES
        pivot = UP * 2.5

        state = {"theta": theta0, "omega": 0.0}

        def bob_position():
            th = state["theta"]
            return pivot + length * np.array([np.sin(th), -np.cos(th), 0])

        ceiling = Line(pivot + LEFT, pivot + RIGHT, color=GREY)
        rod = Line(pivot, bob_position(), color=WHITE)
        bob = Circle(radius=0.25, color=BLUE, fill_opacity=1).move_to(bob_position())

        def step(mob, dt):
            # semi-implicit Euler integration of theta'' = -(g/L) sin(theta)
            state["omega"] += -(g / length) * np.sin(state["theta"]) * dt
            state["theta"] += state["omega"] * dt
            mob.move_to(bob_position())

        rod.add_updater(lambda m: m.put_start_and_end_on(pivot, bob.get_center()))
        bob.add_updater(step)

        equation = MathTex(r"\ddot\theta = -\frac{g}{L}\sin\theta").to_corner(UR)
        self.add(ceiling, rod, bob)
        self.play(Write(equation))
        self.wait(6)
        bob.clear_updaters()
        rod.clear_updaters()
        self.wait(0.5)
