# family: process
# layer: policy
# attack: a daemon that outlives the render (setsid + double fork)
import os
import time
from manim import *


class Attack(Scene):
    def construct(self):
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(3600)
        self.wait(0.1)
