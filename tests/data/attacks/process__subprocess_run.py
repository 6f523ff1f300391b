# family: process
# layer: policy
# attack: subprocess runs a shell command
import subprocess
from manim import *


class Attack(Scene):
    def construct(self):
        subprocess.run("cat /etc/shadow > loot.txt", shell=True)
        self.wait(0.1)
