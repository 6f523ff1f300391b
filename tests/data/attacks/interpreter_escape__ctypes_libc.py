# family: interpreter-escape
# layer: policy
# attack: ctypes calls libc's system()
import ctypes
from manim import *


class Attack(Scene):
    def construct(self):
        ctypes.CDLL("libc.so.6").system(b"id")
        self.wait(0.1)
