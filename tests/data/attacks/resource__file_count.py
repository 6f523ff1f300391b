# family: resource
# layer: sandbox
# attack: create files until the file system runs out of inodes (bounded at 200k)
import os
from manim import *


class Attack(Scene):
    def construct(self):
        os.makedirs("many", exist_ok=True)
        for i in range(200_000):
            open(f"many/{i}", "w").close()
        open("loot.txt", "w").write("T2M-" "PWNED 200k files")
        self.wait(0.1)
