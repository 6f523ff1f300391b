# family: file
# layer: policy
# attack: replace the log with a symlink so the app writes a host file
import os
from manim import *


class Attack(Scene):
    def construct(self):
        os.remove("render.log")
        os.symlink("{{HOST_DIR}}/canary.txt", "render.log")
        self.wait(0.1)
