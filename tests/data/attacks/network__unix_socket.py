# family: network
# layer: sandbox
# attack: FFmpeg connects to a unix socket the host listens on
import av
from manim import *


class Attack(Scene):
    def construct(self):
        av.open("unix:{{UNIX_SOCKET}}", timeout=3)
        open("loot.txt", "w").write("T2M-" "PWNED unix")
        self.wait(0.1)
