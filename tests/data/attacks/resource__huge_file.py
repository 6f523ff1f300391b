# family: resource
# layer: sandbox
# attack: one file larger than the file-size limit
from manim import *


class Attack(Scene):
    def construct(self):
        with open("huge.bin", "wb") as f:
            for _ in range(48):
                f.write(b"x" * (64 << 20))
        open("loot.txt", "w").write("T2M-" "PWNED 3 GiB file")
        self.wait(0.1)
