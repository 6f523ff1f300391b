# family: interpreter-escape
# layer: policy
# attack: importlib imports os by a computed name
import importlib
from manim import *


class Attack(Scene):
    def construct(self):
        importlib.import_module("o" + "s").system("id")
        self.wait(0.1)
