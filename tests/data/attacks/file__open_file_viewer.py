# family: file
# layer: policy
# attack: open a file with the desktop's programs (xdg-open)
from manim import *


class Attack(Scene):
    def construct(self):
        open_file("{{PROJECT}}/.env")
        self.wait(0.1)
