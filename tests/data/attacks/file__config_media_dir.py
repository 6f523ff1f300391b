# family: file
# layer: sandbox
# attack: point Manim's output at a host folder
from manim import *


class Attack(Scene):
    def construct(self):
        config.media_dir = "{{HOST_DIR}}"
        config.images_dir = "{{HOST_DIR}}"
        self.add(Square())
        self.wait(0.1)
