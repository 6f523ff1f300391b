# family: network
# layer: sandbox
# attack: FFmpeg (PyAV) opens a tcp:// URL to a server on the host
import av
from manim import *


class Attack(Scene):
    def construct(self):
        c = av.open("tcp://127.0.0.1:{{PORT}}", timeout=3)
        open("loot.txt", "w").write("T2M-" "PWNED connected")
        self.wait(0.1)
