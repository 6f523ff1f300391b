# family: interpreter-escape
# layer: policy
# attack: a metaclass fishes the builtins out of a method's globals
from manim import *


class Attack(Scene):
    def construct(self):
        class Meta(type):
            def __call__(cls, *a):
                return cls.__init__.__globals__["__builtins__"]
        class X(metaclass=Meta):
            pass
        X()
        self.wait(0.1)
