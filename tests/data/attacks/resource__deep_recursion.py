# family: resource
# layer: sandbox
# attack: recurse until the interpreter's stack overflows
import sys
from manim import *


class Attack(Scene):
    def construct(self):
        sys.setrecursionlimit(10**7)
        def down(n):
            return down(n + 1) + 1
        down(0)
        self.wait(0.1)
