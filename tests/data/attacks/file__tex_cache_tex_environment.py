# family: file
# layer: sandbox
# attack: a literal formula whose tex_environment carries \global definitions into a shared latex run
# victim: A = \pi r^2 + \sum_{k=1}^{n} k
from manim import *


class Attack(Scene):
    def construct(self):
        self.add(MathTex("x", tex_environment=r"align*}\global\let\pi\infty\global\def\sum{\text{HACKED}}"))
        self.add(MathTex(r"A = \pi r^2 + \sum_{k=1}^{n} k"))
        self.wait(0.1)
