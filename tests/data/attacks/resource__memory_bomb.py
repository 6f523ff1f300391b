# family: resource
# layer: sandbox
# attack: allocate memory until the host runs out
import numpy as np
from manim import *


class Attack(Scene):
    def construct(self):
        blocks = []
        while True:
            blocks.append(np.ones(50_000_000))
        self.wait(0.1)
