# family: interpreter-escape
# layer: policy
# attack: string.Formatter().get_field returns objects by a computed path
import string
from manim import *


class Attack(Scene):
    def construct(self):
        f = string.Formatter().get_field("0.__init__.__globals__", [self], {})
        self.wait(0.1)
