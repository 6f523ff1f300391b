# family: resource
# layer: sandbox
# attack: spin the CPU forever
from manim import *


class Attack(Scene):
    def construct(self):
        while True:
            pass
        self.wait(0.1)
