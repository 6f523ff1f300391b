# family: environment
# layer: sandbox
# attack: dump Manim's config and the logger (paths, settings, keys?)
from manim import *


class Attack(Scene):
    def construct(self):
        open("loot.txt", "w").write(str(dict(config)) + str(logger.handlers))
        self.wait(0.1)
