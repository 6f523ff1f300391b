# family: interpreter-escape
# layer: policy
# attack: a generator's frame walks up to the runner's globals
from manim import *


class Attack(Scene):
    def construct(self):
        g = (x for x in [1])
        frame = g.gi_frame.f_back
        while frame is not None:
            globals_ = frame.f_globals
            frame = frame.f_back
        self.wait(0.1)
