# family: resource
# layer: sandbox
# attack: print a line now and then, forever, so that printing passes for progress and the stall budget never fires
import time
from manim import *


class Attack(Scene):
    def construct(self):
        while True:
            print("still working", flush=True)
            time.sleep(0.05)
        self.wait(0.1)
