# family: environment
# layer: policy
# attack: os reached through another module (tempfile._os)
import tempfile
from manim import *


class Attack(Scene):
    def construct(self):
        open("loot.txt", "w").write(str(dict(tempfile._os.environ)))
        self.wait(0.1)
