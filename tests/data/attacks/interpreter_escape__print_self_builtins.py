# family: interpreter-escape
# layer: policy
# attack: print.__self__ is the builtins module
from manim import *


class Attack(Scene):
    def construct(self):
        print.__self__.exec("import os")
        self.wait(0.1)
