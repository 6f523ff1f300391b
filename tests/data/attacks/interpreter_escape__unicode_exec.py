# family: interpreter-escape
# layer: policy
# attack: exec spelled with full-width letters (NFKC-equal to exec)
from manim import *


class Attack(Scene):
    def construct(self):
        ｅｘｅｃ("import os")
        self.wait(0.1)
