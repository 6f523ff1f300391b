# family: interpreter-escape
# layer: policy
# attack: sys.modules hands over os (and can replace numpy)
import sys
from manim import *


class Attack(Scene):
    def construct(self):
        sys.modules["os"].system("id")
        sys.modules["numpy"] = None
        self.wait(0.1)
