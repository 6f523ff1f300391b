# family: resource
# layer: sandbox
# runs: cold+warm
# attack: flood the log so the app reads gigabytes
import sys
from manim import *


class Attack(Scene):
    def construct(self):
        line = "x" * 1_000_000
        for _ in range(1_500):
            print(line, file=sys.stderr)
        raise RuntimeError("after the flood")
        self.wait(0.1)
