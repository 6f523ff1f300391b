# family: interpreter-escape
# layer: policy
# attack: getattr passed around as a value (reduce over a path of names)
import functools
from manim import *


class Attack(Scene):
    def construct(self):
        g = functools.reduce(getattr, ["construct", "__globals__"], self)
        self.wait(0.1)
