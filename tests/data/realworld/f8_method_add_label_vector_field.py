from manim import *


class ElectricFieldPointCharge(Scene):
    def construct(self):
        heading = Text("Field of a positive point charge", font_size=32).to_edge(UP)
        self.play(Write(heading))

        charge = Circle(radius=0.3, color=RED, fill_opacity=1)
        charge.add_label("+")
        plus = MathTex("+", color=WHITE).move_to(charge)
        self.play(GrowFromCenter(charge), Write(plus))

        # radial field, strength ~ 1/r^2
        def field(p):
            r = np.linalg.norm(p[:2]) + 0.01
            return p / r ** 3

        vectors = ArrowVectorField(field, x_range=[-6, 6, 1], y_range=[-3, 3, 1], length_func=lambda n: min(n, 0.9))
        self.play(Create(vectors), run_time=2)
        law = MathTex(r"\vec E = \frac{kq}{r^2}\hat r").to_corner(DR)
        self.play(Write(law))
        self.wait(2)
