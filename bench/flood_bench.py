"""Issue 16: the app's peak memory and the job folder's size while a scene floods its output.

Runs an attack scene of tests/data/attacks/ through the real CLI (`python -m text_to_manim render`), with
T2M_JOB_DISK_MB=200, and samples every 50 ms the CLI process's resident memory (the app: the sandboxed
runs are other processes) and the bytes allocated under its --out folder (the job folder).

  python bench/flood_bench.py [--tree DIR] [--cold] [ATTACK ...]

--tree: the checkout whose package the CLI runs (default: this one), e.g. an export of the code before the
fix; --cold: no warm worker (an unreachable T2M_RAY_ADDRESS: the job's runs are fresh processes, and the
attack stops the job at validation, before any chunk would go to a cluster). Default attacks: an output
flood without newlines, and a log flood.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ATTACKS = ROOT / "tests" / "data" / "attacks"
DEFAULT = ["resource__output_flood_no_newline", "resource__log_flood"]
MIB = 1 << 20


def rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next((int(ln.split()[1]) * 1024 for ln in fh if ln.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def allocated(folder: Path) -> int:
    total = 0
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


def run(attack: str, tree: Path, cold: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="t2m-flood-") as tmp:
        scene = Path(tmp) / "scene.py"
        scene.write_text((ATTACKS / f"{attack}.py").read_text())
        out = Path(tmp) / "jobs"
        env = {**os.environ, "T2M_JOB_DISK_MB": "200", "T2M_RENDER_TIMEOUT": "60", "T2M_RESULT_CACHE_MB": "0",
               "T2M_RENDER_CONCURRENCY": "1", **({"T2M_RAY_ADDRESS": "127.0.0.1:9"} if cold else {})}
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "text_to_manim", "render", str(scene), "--out", str(out)],
                                cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        peak = {"rss": 0, "disk": 0}
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                peak["rss"] = max(peak["rss"], rss(proc.pid))
                peak["disk"] = max(peak["disk"], allocated(out))

        t = threading.Thread(target=sample, daemon=True)
        t.start()
        output = proc.communicate(timeout=170)[0].decode(errors="replace")
        done.set()
        t.join()
        last = [ln.strip() for ln in output.splitlines() if "stopped" in ln or "rror" in ln][:2]
        return {"attack": attack, "path": "cold" if cold else "warm", "seconds": round(time.monotonic() - start, 1),
                "peak_app_rss_mib": round(peak["rss"] / MIB), "peak_job_folder_mib": round(peak["disk"] / MIB),
                "final_job_folder_mib": round(allocated(out) / MIB), "said": " | ".join(last)[-300:]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("attacks", nargs="*", default=DEFAULT)
    ap.add_argument("--tree", type=Path, default=ROOT)
    ap.add_argument("--cold", action="store_true")
    args = ap.parse_args()
    for attack in args.attacks:
        print(run(attack, args.tree.resolve(), args.cold), flush=True)


if __name__ == "__main__":
    main()
