# family: process
# layer: policy
# attack: timeit runs code hidden in a string
import timeit
from manim import *


class Attack(Scene):
    def construct(self):
        timeit.timeit("import os; os.system('id > loot.txt')", number=1)
        self.wait(0.1)
