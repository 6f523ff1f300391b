"""`make bench`: render speed against plain `manim` in the same run, and the gallery's render times.

Ratios, not absolute seconds, are the figures to compare across machines (this one is shared and noisy):
each measurement is the best of --repeat runs, and plain manim runs interleaved with ours.

- tiny scene: the CLI's whole job (policy, validate, sandboxed render) against `manim -ql`; both with their
  formula caches warm (plain manim's media folder, our shared TeX cache), our result cache off;
- the same job again: seconds from starting the CLI to the video, the result cache on;
- long scene (24 animations): plain manim against ours in 1 and 2 chunks;
- the warm worker pool: resident memory per ready worker;
- validation of a 200-animation scene in the style models write (bench/model_scene_200.py) in a warm
  worker: with its formulas new, and cached (the trusted step's batch, and run-time ones adopted).
Usage: python bench/run.py [--repeat N] [--skip-validation] [--gallery [--plain]] [--only SLUG ...]
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
TINY_SCENE = ROOT / "tests" / "data" / "scene_basic.py"
MODEL_SCENE = ROOT / "bench" / "model_scene_200.py"


def timed(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    return time.perf_counter() - start


def plain_manim(scene_file: Path, scene: str, out: Path) -> float:
    return timed([MANIM, "render", "-ql", "--disable_caching", "--media_dir", str(out), str(scene_file), scene],
                 env={"OPENBLAS_NUM_THREADS": "1"})


def ours(scene_file: Path, scene: str, out: Path, jobs: int, media: Path, result_cache: bool = False) -> float:
    """The CLI's whole job; `media` holds the caches (shared TeX, results) across runs, as in real use."""
    return timed([PY, "-m", "text_to_manim", "render", str(scene_file), "--scene", scene, "-q", "l",
                  "--jobs", str(jobs), "--out", str(out), "--json"],
                 env={"T2M_MEDIA_DIR": str(media), "T2M_RESULT_CACHE_MB": "2048" if result_cache else "0"})


def best(fn, repeat: int) -> float:
    return min(fn() for _ in range(repeat))


def interleaved(fns: dict, repeat: int) -> dict:
    """Best time of each, the candidates taking turns so that load on the machine hits all alike."""
    times = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            times[k].append(fn())
    return {k: min(v) for k, v in times.items()}


def bench_tiny(repeat: int, tmp: Path) -> dict:
    media = tmp / "media-tiny"
    plain = lambda: plain_manim(TINY_SCENE, "Basic", tmp / "plain-tiny")  # noqa: E731
    mine = lambda: ours(TINY_SCENE, "Basic", tmp / "ours-tiny", 2, media)  # noqa: E731
    plain(), mine()  # caches warm for both: plain manim's Tex folder, our shared formula cache
    best_of = interleaved({"plain": plain, "ours": mine}, repeat)
    ours(TINY_SCENE, "Basic", tmp / "ours-tiny", 2, media, result_cache=True)  # stored
    again = best(lambda: ours(TINY_SCENE, "Basic", tmp / "ours-tiny", 2, media, result_cache=True), repeat)
    return {"plain_manim_s": round(best_of["plain"], 2), "ours_whole_job_s": round(best_of["ours"], 2),
            "ratio": round(best_of["ours"] / best_of["plain"], 2), "same_job_again_s": round(again, 3)}


def bench_long(repeat: int, tmp: Path) -> dict:
    media = tmp / "media-long"
    ours(LONG_SCENE, "LongScene", tmp / "one", 1, media)  # the shared formula cache warm, as for plain manim
    plain_manim(LONG_SCENE, "LongScene", tmp / "plain")
    t = interleaved({"plain": lambda: plain_manim(LONG_SCENE, "LongScene", tmp / "plain"),
                     "one": lambda: ours(LONG_SCENE, "LongScene", tmp / "one", 1, media),
                     "two": lambda: ours(LONG_SCENE, "LongScene", tmp / "two", 2, media)}, repeat)
    return {"plain_manim_s": round(t["plain"], 2), "ours_1_chunk_s": round(t["one"], 2),
            "ours_2_chunks_s": round(t["two"], 2), "ratio_1_chunk": round(t["one"] / t["plain"], 2),
            "ratio_2_chunks": round(t["two"] / t["plain"], 2)}


def bench_pool(tmp: Path) -> dict:
    """Resident memory of each ready worker (bubblewrap and the Python inside, Manim imported)."""
    from text_to_manim import config
    from text_to_manim.sandbox import workers

    s = config.load(media_dir=tmp / "media-pool", render_concurrency=2)
    pool = workers.pool_for(s)
    if pool is None:
        return {"error": "no bubblewrap: no pool"}
    end = time.monotonic() + 120
    while time.monotonic() < end and len(pool.resident_bytes()) < 2:
        time.sleep(0.5)
    time.sleep(2)  # at rest
    rss = pool.resident_bytes()
    pool.close()
    return {"workers": len(rss), "resident_mib_per_worker": [round(r / 2**20, 1) for r in rss]}


def bench_validation(tmp: Path) -> dict:
    """A 200-animation scene validated in a warm worker: formulas new, then cached."""
    from text_to_manim import config, jobs
    from text_to_manim.events import Finished
    from text_to_manim.sandbox import targets, workers
    from text_to_manim.scene import validate
    from text_to_manim.tex import formula_cache

    s = config.load(media_dir=tmp / "media-validate", render_concurrency=1)
    code = MODEL_SCENE.read_text()
    workers.prestart(s)
    rows = {}
    for label in ("formulas_new", "formulas_cached"):
        start = time.monotonic()
        pre = formula_cache.precompile(code, s)
        job = jobs.new_job(s.jobs_dir)
        with workers.lease(s) as worker:
            time.sleep(1.0)  # the worker at rest before the job, as in the app
            t = time.monotonic()
            out = [ev.result for ev in validate.validate(code, job, settings=s, runs=targets.choose(job.dir, s, worker))
                   if isinstance(ev, Finished)][0]
            seconds = time.monotonic() - t
        rows[label] = {"ok": out.ok, "animations": out.animations, "validate_s": round(seconds, 2),
                       "validate_cpu_s": round(out.cpu_seconds, 2),  # = wall time on an idle 2-core machine
                       "trusted_tex_step_s": round(pre.seconds, 2), "formulas_literal": pre.formulas,
                       "formulas_compiled_in_scene": out.tex.get("compiled", 0),
                       "with_the_trusted_step_s": round(time.monotonic() - start - 1.0, 2)}
        if out.tex_sources:
            formula_cache.adopt(out.tex_sources, s)  # what the pipeline does in the background
    workers.pool_for(s).close()
    return rows


def bench_gallery(slugs: list[str] | None, tmp: Path, with_plain: bool) -> list[dict]:
    from text_to_manim import gallery

    rows = []
    for e in gallery.entries():
        if slugs and e.slug not in slugs:
            continue
        mine = ours(e.path, e.scene, tmp / f"g-ours-{e.slug}", 2, tmp / "media-gallery")
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
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gallery", action="store_true", help="also time every gallery scene (slow)")
    ap.add_argument("--only", nargs="*", help="gallery slugs to time")
    ap.add_argument("--plain", action="store_true", help="gallery: also time plain manim per scene")
    ap.add_argument("--skip-validation", action="store_true", help="skip the 200-animation validation")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="t2m-bench-"))
    results = {"cores": os.cpu_count()}
    # This package's own modules compiled once, as any Python does after a first run (PYTHONDONTWRITEBYTECODE
    # would otherwise make every CLI start recompile them; Manim's were compiled by pip).
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "text_to_manim")], check=False)
    try:
        print("tiny scene (-ql): plain manim vs the CLI's whole job (policy, validate, sandboxed render)")
        results["tiny_scene"] = bench_tiny(args.repeat, tmp)
        print("  " + json.dumps(results["tiny_scene"]), flush=True)
        print("long scene (24 animations, -ql): plain manim vs the whole job, 1 and 2 chunks")
        results["long_scene"] = bench_long(args.repeat, tmp)
        print("  " + json.dumps(results["long_scene"]), flush=True)
        print("warm worker pool at rest")
        results["pool"] = bench_pool(tmp)
        print("  " + json.dumps(results["pool"]), flush=True)
        if not args.skip_validation:
            print("validation of a 200-animation scene (bench/model_scene_200.py), warm worker, -ql")
            results["validation_200"] = bench_validation(tmp)
            print("  " + json.dumps(results["validation_200"]), flush=True)
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
