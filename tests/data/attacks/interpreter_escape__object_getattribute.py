# family: interpreter-escape
# layer: policy
# attack: object.__getattribute__ with a computed name
from manim import *


class Attack(Scene):
    def construct(self):
        g = object.__getattribute__(self, "con" + "struct")
        self.wait(0.1)
