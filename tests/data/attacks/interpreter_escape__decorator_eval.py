# family: interpreter-escape
# layer: policy
# attack: a decorator that is eval
from manim import *


class Attack(Scene):
    def construct(self):
        @eval
        def payload():
            pass
        self.wait(0.1)
