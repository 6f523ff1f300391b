# family: process
# layer: sandbox
# runs: cold+warm
# attack: open the parent's pipes through /proc/<ppid>/fd (a warm worker's stdout to the app, its log) and forge its messages
from pathlib import Path
from manim import *


class Attack(Scene):
    def construct(self):
        ppid = open("/proc/self/stat").read().rsplit(")", 1)[1].split()[1]
        reached = []
        for pid in (ppid, "1"):
            for fd in ("0", "1", "2"):
                theirs = Path(f"/proc/{pid}/fd/{fd}")
                try:
                    if theirs.readlink() == Path(f"/proc/self/fd/{fd}").readlink():
                        continue  # our own pipe (a cold run's parent is bubblewrap): nothing gained
                    with open(theirs, "w") as fh:
                        fh.write('@@T2M {"run": 0, "event": "log", "text": "forged by another run\\n"}\n')
                    reached.append(f"{pid}/{fd}")
                except OSError:
                    pass
        if reached:
            print("T2M-" "PWNED: reached the parent's pipes", reached)
        self.wait(0.1)
