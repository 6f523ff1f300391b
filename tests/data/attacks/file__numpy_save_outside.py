# family: file
# layer: sandbox
# attack: numpy.save writes outside the job folder
import numpy as np
from manim import *


class Attack(Scene):
    def construct(self):
        np.save("{{HOST_DIR}}/pwned.npy", np.zeros(3))
        self.wait(0.1)
