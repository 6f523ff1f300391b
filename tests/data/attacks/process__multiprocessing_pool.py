# family: process
# layer: policy
# attack: a process pool
import multiprocessing
from manim import *


class Attack(Scene):
    def construct(self):
        multiprocessing.Pool(64).map(print, range(10**6))
        self.wait(0.1)
