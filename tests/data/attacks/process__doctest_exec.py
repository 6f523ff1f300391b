# family: process
# layer: policy
# attack: doctest runs code hidden in a string
import doctest
from manim import *


class Attack(Scene):
    def construct(self):
        doctest.run_docstring_examples(">>> import os; os.system('id > loot.txt')", {})
        self.wait(0.1)
