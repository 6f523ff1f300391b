# family: interpreter-escape
# layer: policy
# attack: an exception's traceback reaches the caller's frames
from manim import *


class Attack(Scene):
    def construct(self):
        try:
            1 / 0
        except ZeroDivisionError as e:
            g = e.__traceback__.tb_frame.f_back.f_globals
        self.wait(0.1)
