from manim import *


class SwingingPendulum(Scene):
    def construct(self):
        title = Text("A simple pendulum", font_size=34).to_edge(UP)
        self.play(Write(title))

        pivot = Dot(UP * 2)
        rod = Line(pivot.get_center(), pivot.get_center() + DOWN * 3)
        bob = Dot(rod.get_end(), radius=0.2, color=RED)
        pendulum = VGroup(rod, bob)
        self.play(Create(rod), FadeIn(pivot), FadeIn(bob))

        # swing back and forth
        self.t = 0

        def swing(mob):
            self.t += dt
            angle = 0.4 * np.sin(2 * self.t)
            mob.become(VGroup(
                Line(pivot.get_center(), pivot.get_center() + 3 * np.array([np.sin(angle), -np.cos(angle), 0])),
                Dot(pivot.get_center() + 3 * np.array([np.sin(angle), -np.cos(angle), 0]), radius=0.2, color=RED),
            ))

        self.add(pendulum)
        pendulum.add_updater(swing)
        formula = MathTex(r"T = 2\pi\sqrt{\frac{L}{g}}").to_corner(DR)
        self.play(Write(formula), run_time=2)
        self.wait(3)
        pendulum.clear_updaters()
        self.wait()
