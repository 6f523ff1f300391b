# family: resource
# layer: sandbox
# attack: grow the heap in small steps while /tmp fills beside it, each step far below any one limit
# error: MemoryLimit
from manim import *


class Attack(Scene):
    def construct(self):
        kept = []
        chunk = b"y" * (7 << 20)
        for i in range(72):
            kept.append(bytearray(7 << 20))
            with open(f"/tmp/step{i}", "wb") as f:
                f.write(chunk)
        open("loot.txt", "w").write("T2M-" "PWNED kept %d MiB of heap and as much in /tmp" % (7 * len(kept)))
        self.wait(0.1)
