# family: interpreter-escape
# layer: policy
# attack: find the os module among gc.get_objects()
import gc
from manim import *


class Attack(Scene):
    def construct(self):
        os_mod = [o for o in gc.get_objects() if getattr(o, "__name__", "") == "os"][0]
        self.wait(0.1)
