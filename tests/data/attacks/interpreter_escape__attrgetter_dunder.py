# family: interpreter-escape
# layer: policy
# attack: operator.attrgetter reaches __globals__
import operator
from manim import *


class Attack(Scene):
    def construct(self):
        g = operator.attrgetter("construct.__func__.__globals__")(self)
        self.wait(0.1)
