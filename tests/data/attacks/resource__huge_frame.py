# family: resource
# layer: sandbox
# attack: a 100000 x 100000 frame
from manim import *


class Attack(Scene):
    def construct(self):
        config.pixel_width = config.pixel_height = 100_000
        self.camera.__init__()
        self.wait(0.1)
