from manim import *
import numpy as np


class ElectricDipole(Scene):
    def construct(self):
        q_pos = np.array([1.5, 0, 0])
        q_neg = np.array([-1.5, 0, 0])

        def field(p):
            e = np.zeros(3)
            for q, sign in ((q_pos, 1), (q_neg, -1)):
                r = p - q
                dist = np.linalg.norm(r) + 0.3
                e += sign * r / dist**3
            return e

        vectors = ArrowVectorField(field, x_range=[-6, 6, 0.8], y_range=[-3.5, 3.5, 0.8], length_func=lambda n: 0.45 * sigmoid(n))
        plus = VGroup(Circle(radius=0.3, color=RED, fill_opacity=1), MathTex("+")).move_to(q_pos)
        minus = VGroup(Circle(radius=0.3, color=BLUE, fill_opacity=1), MathTex("-")).move_to(q_neg)

        self.play(FadeIn(plus), FadeIn(minus))
        self.play(Create(vectors), run_time=2)

        title = Tex("Field of an electric dipole").to_edge(UP).add_background_rectangle()
        self.play(Write(title))
        self.wait(2)
