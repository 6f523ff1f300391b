# family: file
# layer: policy
# attack: a symlink to the project's .env named like the scene
from pathlib import Path
from manim import *


class Attack(Scene):
    def construct(self):
        Path("scene.py").unlink()
        Path("scene.py").symlink_to("{{PROJECT}}/.env")
        self.wait(0.1)
