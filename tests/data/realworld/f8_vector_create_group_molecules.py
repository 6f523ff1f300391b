from manim import *
import numpy as np


class IdealGas(Scene):
    def construct(self):
        title = Text("Ideal gas in a box", font_size=34).to_edge(UP)
        self.play(Write(title))
        box = Rectangle(width=6, height=4)
        self.play(Create(box))
        rng = np.random.default_rng(3)
        particles = Group(*[Dot([x, y, 0], radius=0.06, color=BLUE) for x, y in rng.uniform(-2.7, 2.7, (40, 2)) * [1, 0.65]])
        self.play(Create(particles))
        law = MathTex("PV = nRT").to_edge(DOWN)
        self.play(Write(law))
        self.wait()
