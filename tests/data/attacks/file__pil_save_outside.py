# family: file
# layer: sandbox
# attack: PIL writes an image outside the job folder
from PIL import Image
from manim import *


class Attack(Scene):
    def construct(self):
        Image.new("RGB", (8, 8)).save("{{HOST_DIR}}/pwned.png")
        self.wait(0.1)
