# family: interpreter-escape
# layer: policy
# attack: getattr with an attribute name built from pieces
from manim import *


class Attack(Scene):
    def construct(self):
        cls = getattr(self, "__cla" + "ss__")
        subs = getattr(object, "__subcla" + "sses__")()
        self.wait(0.1)
