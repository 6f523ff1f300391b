# family: resource
# layer: sandbox
# attack: fill the RAM-backed /tmp and /dev/shm (files count against no process), then a heap within the process's own limit: together over the run's memory bound
# error: MemoryLimit
from manim import *


class Attack(Scene):
    def construct(self):
        chunk = b"x" * (16 << 20)
        for folder, mib in (("/tmp", 480), ("/dev/shm", 56)):
            for i in range(mib // 16):
                with open(f"{folder}/fill{i}", "wb") as f:
                    f.write(chunk)
        heap = bytearray(500 << 20)
        open("loot.txt", "w").write("T2M-" "PWNED held %d MiB beside 536 MiB of tmpfs" % (len(heap) >> 20))
        self.wait(0.1)
