# family: file
# layer: sandbox
# attack: write files outside the job folder (host folder, project, /usr)
from pathlib import Path
from manim import *


class Attack(Scene):
    def construct(self):
        for target in ("{{HOST_DIR}}/pwned.txt", "{{PROJECT}}/pwned.txt", "/usr/local/pwned.txt", "{{HOME}}/pwned.txt"):
            try:
                Path(target).write_text("T2M-" "PWNED")
            except OSError:
                pass
        self.wait(0.1)
