# family: file
# layer: sandbox
# attack: read another job's files by absolute path
from manim import *


class Attack(Scene):
    def construct(self):
        loot = open("{{OTHER_JOB}}/secret.txt").read()
        open("loot.txt", "w").write(loot)
        self.wait(0.1)
