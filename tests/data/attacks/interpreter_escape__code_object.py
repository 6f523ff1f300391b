# family: interpreter-escape
# layer: policy
# attack: build a code object and call it
from manim import *


class Attack(Scene):
    def construct(self):
        f = lambda: 0
        f.__code__ = f.__code__.replace(co_names=("__import__",))
        self.wait(0.1)
