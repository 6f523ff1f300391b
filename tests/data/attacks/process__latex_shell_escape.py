# family: process
# layer: sandbox
# attack: LaTeX \\write18 runs a shell command
from manim import *


class Attack(Scene):
    def construct(self):
        self.add(Tex(r"\immediate\write18{touch {{HOST_DIR}}/pwned-tex; id > loot.txt}x"))
        self.wait(0.1)
