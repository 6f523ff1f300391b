# family: process
# layer: policy
# attack: import subprocess.run from Manim's command helper
from manim.utils.commands import run
from manim import *


class Attack(Scene):
    def construct(self):
        run(["sh", "-c", "id > loot.txt"])
        self.wait(0.1)
