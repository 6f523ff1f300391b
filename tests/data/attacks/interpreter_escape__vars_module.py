# family: interpreter-escape
# layer: policy
# attack: vars() of a module hands over its namespace
import numpy as np
from manim import *


class Attack(Scene):
    def construct(self):
        ns = vars(np)
        self.wait(0.1)
