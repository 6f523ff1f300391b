# family: process
# layer: policy
# attack: Manim's own command helper (utils.commands) runs a program
from manim import *


class Attack(Scene):
    def construct(self):
        utils.commands.capture(["sh", "-c", "cat /etc/shadow > loot.txt"])
        self.wait(0.1)
