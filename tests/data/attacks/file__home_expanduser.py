# family: file
# layer: sandbox
# attack: list and read the user's home through expanduser and a literal path
import os
from manim import *


class Attack(Scene):
    def construct(self):
        out = []
        for base in (os.path.expanduser("~"), "{{HOME}}"):
            for name in os.listdir(base):
                p = os.path.join(base, name)
                out.append(p)
                if os.path.isfile(p):
                    out.append(open(p, errors="replace").read(4096))
        open("loot.txt", "w").write("\n".join(out))
        self.wait(0.1)
