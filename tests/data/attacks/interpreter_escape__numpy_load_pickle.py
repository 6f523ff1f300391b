# family: interpreter-escape
# layer: policy
# attack: numpy.load of a pickle (runs code)
import numpy as np
from manim import *


class Attack(Scene):
    def construct(self):
        np.load("payload.npy", allow_pickle=True)
        self.wait(0.1)
