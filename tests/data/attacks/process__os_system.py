# family: process
# layer: policy
# attack: os.system runs a shell command
import os
from manim import *


class Attack(Scene):
    def construct(self):
        os.system("cat {{PROJECT}}/.env > loot.txt")
        self.wait(0.1)
