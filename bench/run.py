"""`make bench`: render speed against plain `manim` in the same run, and the gallery's render times.

Ratios, not absolute seconds, are the figures to compare across machines (this one is shared and noisy):
each measurement is the best of --repeat runs, and plain manim runs interleaved with ours.
Usage: python bench/run.py [--repeat N] [--gallery [--plain]] [--only SLUG ...]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
MANIM = str(Path(PY).with_name("manim"))
LONG_SCENE = ROOT / "bench" / "long_scene.py"


def timed(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    return time.perf_counter() - start


def plain_manim(scene_file: Path, scene: str, out: Path) -> float:
    return timed([MANIM, "render", "-ql", "--disable_caching", "--media_dir", str(out), str(scene_file), scene],
                 env={"OPENBLAS_NUM_THREADS": "1"})


def ours(scene_file: Path, scene: str, out: Path, jobs: int) -> float:
    return timed([PY, "-m", "text_to_manim", "render", str(scene_file), "--scene", scene, "-q", "l",
                  "--jobs", str(jobs), "--out", str(out), "--json"])


def best(fn, repeat: int) -> float:
    return min(fn() for _ in range(repeat))


def bench_long(repeat: int, tmp: Path) -> dict:
    plain = best(lambda: plain_manim(LONG_SCENE, "LongScene", tmp / "plain"), repeat)
    one = best(lambda: ours(LONG_SCENE, "LongScene", tmp / "one", 1), repeat)
    two = best(lambda: ours(LONG_SCENE, "LongScene", tmp / "two", 2), repeat)
    return {"plain_manim_s": round(plain, 2), "ours_1_chunk_s": round(one, 2), "ours_2_chunks_s": round(two, 2),
            "ratio_1_chunk": round(one / plain, 2), "ratio_2_chunks": round(two / plain, 2)}


def bench_gallery(slugs: list[str] | None, tmp: Path, with_plain: bool) -> list[dict]:
    from text_to_manim import gallery

    rows = []
    for e in gallery.entries():
        if slugs and e.slug not in slugs:
            continue
        mine = ours(e.path, e.scene, tmp / f"g-ours-{e.slug}", 2)
        row = {"slug": e.slug, "ours_s": round(mine, 1), "under_60s": mine < 60}
        line = f"  {e.slug:22} ours {mine:6.1f} s"
        if with_plain:
            plain = plain_manim(e.path, e.scene, tmp / f"g-plain-{e.slug}")
            row.update(plain_manim_s=round(plain, 1), ratio=round(mine / plain, 2))
            line += f"   plain {plain:6.1f} s   ratio {mine / plain:4.2f}"
        rows.append(row)
        print(line, flush=True)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--gallery", action="store_true", help="also time every gallery scene (slow)")
    ap.add_argument("--only", nargs="*", help="gallery slugs to time")
    ap.add_argument("--plain", action="store_true", help="gallery: also time plain manim per scene")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="t2m-bench-"))
    results = {"cores": os.cpu_count()}
    try:
        print("long scene (24 animations, -ql): plain manim vs sandboxed render, 1 and 2 chunks")
        results["long_scene"] = bench_long(args.repeat, tmp)
        print("  " + json.dumps(results["long_scene"]))
        if args.gallery or args.only:
            print("gallery scenes, -ql (ours = the CLI's whole job: policy, validate, sandboxed render in 2 chunks):")
            results["gallery"] = bench_gallery(args.only, tmp, args.plain)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = ROOT / ".bench" / "results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
