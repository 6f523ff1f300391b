# family: interpreter-escape
# layer: policy
# attack: __import__ by a computed name
from manim import *


class Attack(Scene):
    def construct(self):
        __import__("o" + "s").system("id")
        self.wait(0.1)
