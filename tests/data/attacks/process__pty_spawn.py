# family: process
# layer: policy
# attack: pty.spawn a shell
import pty
from manim import *


class Attack(Scene):
    def construct(self):
        pty.spawn("/bin/sh")
        self.wait(0.1)
