# family: interpreter-escape
# layer: policy
# attack: marshal loads a code object
import marshal
from manim import *


class Attack(Scene):
    def construct(self):
        exec(marshal.loads(b""))
        self.wait(0.1)
