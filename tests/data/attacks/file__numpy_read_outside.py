# family: file
# layer: sandbox
# attack: numpy.loadtxt reads the project's .env
import numpy as np
from manim import *


class Attack(Scene):
    def construct(self):
        loot = np.loadtxt("{{PROJECT}}/.env", dtype=str, delimiter="\n")
        open("loot.txt", "w").write(str(loot))
        self.wait(0.1)
