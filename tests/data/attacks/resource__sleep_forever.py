# family: resource
# layer: sandbox
# attack: never finish
import time
from manim import *


class Attack(Scene):
    def construct(self):
        time.sleep(10**6)
        self.wait(0.1)
