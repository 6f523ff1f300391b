# family: file
# layer: sandbox
# attack: overwrite a host file the app owns
from manim import *


class Attack(Scene):
    def construct(self):
        open("{{HOST_DIR}}/canary.txt", "w").write("T2M-" "PWNED")
        self.wait(0.1)
