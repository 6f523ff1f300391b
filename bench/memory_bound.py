"""Peak memory of a whole sandboxed run (every process of it, its /tmp and /dev/shm) under memory attacks.

Each scene runs cold through `sandbox.run` (policy bypassed, as in tests/test_sandbox.py) in a child process
placed in a memory cgroup of its own with no limit, whose peak (cgroup v1 memory.max_usage_in_bytes, v2
memory.peak) is the figure: the app side of the run (a small Python) plus the whole run tree. Run it from
a checkout to measure that checkout (root, or a delegated cgroup, is needed for the measuring group):

    python bench/memory_bound.py                      # this checkout
    PYTHONPATH=/path/to/other/checkout python /path/to/this/bench/memory_bound.py   # another one
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
ATTACKS = HERE / "tests" / "data" / "attacks"
MIB = 1 << 20
FORKS = '''
import os, time
from manim import *

class Hog(Scene):
    def construct(self):
        kids = []
        for _ in range(8):
            pid = os.fork()
            if pid == 0:
                os.setsid()
                block = bytearray(200 << 20)
                time.sleep(15)
                os._exit(0)
            kids.append(pid)
        for pid in kids:
            os.waitpid(pid, 0)
        open("survived.txt", "w").write("every child held its memory")
        self.wait(0.1)
'''
IDLE = "from manim import *\n\nclass Idle(Scene):\n    def construct(self):\n        self.wait(0.1)\n"
CHILD = '''
import sys, time
from pathlib import Path
from text_to_manim.sandbox import walls as sandbox
job = Path(sys.argv[1])
limits = sandbox.Limits(wall_seconds=90)
start = time.monotonic()
r = sandbox.run(job, ["validate", str(job / "scene.py"), "--out", str(job / "media")], limits,
                log_file=job / "run.log")
errors = sandbox.errors_of(r, "validate", limits, job / "run.log")
print(f"{time.monotonic() - start:.1f}|" + (errors[0].kind if errors else "ran to the end"))
'''


def _measure_group() -> tuple[Path, str]:
    """A fresh memory cgroup (no limit) below this process's, and the file holding its peak."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            return Path("/sys/fs/cgroup/memory") / path.lstrip("/") / f"t2m-measure-{os.getpid()}", \
                "memory.max_usage_in_bytes"
    path = next(ln[3:] for ln in Path("/proc/self/cgroup").read_text().splitlines() if ln.startswith("0::"))
    return Path("/sys/fs/cgroup") / path.lstrip("/") / f"t2m-measure-{os.getpid()}", "memory.peak"


def measure(name: str, code: str) -> tuple[str, int, str, str]:
    group, peak_file = _measure_group()
    group.mkdir()
    try:
        with tempfile.TemporaryDirectory(prefix="t2m-membench-") as tmp:
            (Path(tmp) / "scene.py").write_text(code)
            out = subprocess.run([sys.executable, "-c", CHILD, tmp], capture_output=True, text=True, timeout=300, cwd=tmp,
                                 preexec_fn=lambda: (group / "cgroup.procs").write_text(str(os.getpid())))
            peak = int((group / peak_file).read_text())
        seconds, _, outcome = (out.stdout.strip().splitlines() or ["?|" + out.stderr[-300:]])[-1].partition("|")
        return name, peak, seconds, outcome
    finally:
        time.sleep(0.5)
        group.rmdir()


def main() -> None:
    import text_to_manim
    print(f"package: {Path(text_to_manim.__file__).parent}")
    scenes = [("idle scene (baseline)", IDLE), ("8 processes x 200 MiB", FORKS)]
    scenes += [(p.stem, p.read_text()) for p in sorted(ATTACKS.glob("resource__*.py"))
               if p.stem.split("__")[1] in ("tmpfs_and_heap", "heap_in_steps")]
    print(f"{'scene':28} {'peak MiB':>9} {'seconds':>8}  outcome")
    for name, code in scenes:
        name, peak, seconds, outcome = measure(name, code)
        print(f"{name:28} {peak // MIB:>9} {seconds:>8}  {outcome}")


if __name__ == "__main__":
    main()
