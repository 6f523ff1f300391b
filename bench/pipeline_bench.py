"""The pipeline's figures (issue 3), measured on this machine:

1. the corpus (tests/data/broken_*.py): how many scenes render as written, and after sanitize alone;
2. time from prompt to the first reasoning token shown: offline provider, and a scripted
   OpenAI-compatible server on 127.0.0.1 (no model latency: what the pipeline itself adds);
3. pipeline overhead (the time of the job during which no render runs) as a share of the whole job at -ql,
   and of the time to the video (after it only the history is written):
   a model's answer (scripted server), an offline formula prompt, and code given as is (policy, validate,
   render only). The app's warm worker pool is warm after the first job, the result cache is off (each
   repeat renders), and the render counts from its start (it starts while validation runs).

Usage: python bench/pipeline_bench.py [--skip-corpus] [--repeat N] [--json]
Renders go through the product's sandboxed renderer at -ql, two at a time.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.llm_server import Reply, ScriptedLLM  # noqa: E402
from text_to_manim import config, jobs
from text_to_manim.events import Artifact, Finished, ReasoningDelta  # noqa: E402
from text_to_manim.fixes.sanitize import sanitize  # noqa: E402
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.scene import render  # noqa: E402

JOB_GAP_SECONDS = 3.0
GOOD = """from manim import *


class Ring(Scene):
    def construct(self):
        ring = Circle(radius=1.2, color=BLUE)
        label = MathTex(r"A = \\pi r^2").next_to(ring, DOWN)
        self.play(Create(ring), run_time=1)
        self.play(Write(label), run_time=1)
        self.wait(0.5)
"""
ANSWER = f"A ring, then its area.\n## Code\n```python\n{GOOD}```\n## Notes\n# Circles\n\nArea $A = \\pi r^2$.\n"


def settings_in(tmp: Path, **kw) -> config.Settings:
    base = dict(media_dir=tmp / "media", db_path=tmp / "media" / "h.db", render_jobs=2, result_cache_mb=0)
    base.update(kw)
    return config.Settings(**base)


def corpus(tmp: Path) -> dict:
    files = sorted((ROOT / "tests" / "data").glob("broken_*.py"))
    s = settings_in(tmp, render_jobs=1)

    def one(args):
        path, fix = args
        code = path.read_text(encoding="utf-8")
        if fix:
            code, _ = sanitize(code)
        job = jobs.new_job(s.jobs_dir)
        out = None
        try:
            for ev in render.render(code, job, quality="l", fmt="mp4", settings=s):
                if isinstance(ev, Finished):
                    out = ev.result
        except Exception as exc:  # e.g. the policy refuses to parse it
            return path.stem, fix, False, repr(exc)
        first = out.errors[0].short() if (out and out.errors) else ""
        return path.stem, fix, bool(out and out.ok), first

    with ThreadPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(one, [(f, fix) for fix in (False, True) for f in files]))
    as_written = {name: (ok, err) for name, fix, ok, err in rows if not fix}
    after = {name: (ok, err) for name, fix, ok, err in rows if fix}
    return {
        "scenes": len(files),
        "render_as_written": sum(ok for ok, _ in as_written.values()),
        "render_after_sanitize": sum(ok for ok, _ in after.values()),
        "as_written_rendered": sorted(n for n, (ok, _) in as_written.items() if ok),
        "still_failing_after_sanitize": {n: e for n, (ok, e) in after.items() if not ok},
        "as_written_errors": {n: e[:140] for n, (ok, e) in as_written.items() if not ok},
    }


def first_reasoning(request_factory) -> tuple[float, float, dict]:
    """(seconds to the first ReasoningDelta, total seconds, result) of one job; the result's timings get
    `to_video`, the seconds from the start to the video (what a person waits for)."""
    t = time.perf_counter()
    first = None
    result = None
    to_video = None
    for ev in pipeline.run(request_factory()):
        if first is None and isinstance(ev, ReasoningDelta) and ev.text.strip():
            first = time.perf_counter() - t
        if to_video is None and isinstance(ev, Artifact) and ev.kind == "video":
            to_video = time.perf_counter() - t
        if isinstance(ev, Finished):
            result = ev.result
    if result is not None and to_video is not None:
        result.timings["to_video"] = to_video
    return first or float("nan"), time.perf_counter() - t, result


def ttfr_offline(tmp: Path, repeat: int) -> dict:
    s = settings_in(tmp, provider="offline")
    # No render: a prompt that matches nothing still streams its reasoning (and ends fast).
    times = [first_reasoning(lambda: pipeline.Request(prompt="the history of rome", settings=s))[0]
             for _ in range(repeat)]
    return {"cold_s": round(times[0], 4), "warm_median_s": round(statistics.median(times[1:] or times), 4)}


def ttfr_server(tmp: Path, repeat: int) -> dict:
    times = []
    with ScriptedLLM() as llm:
        s = settings_in(tmp, provider="openai", base_url=llm.base_url, api_key="bench-key", model="bench")
        for _ in range(repeat):
            llm.push(Reply(reasoning="Thinking about the ring.", content="NONE"))
            # stop after the first token: the anchor call's reasoning is what the user sees first
            t = time.perf_counter()
            gen = pipeline.run(pipeline.Request(prompt="draw a ring", settings=s))
            for ev in gen:
                if isinstance(ev, ReasoningDelta):
                    times.append(time.perf_counter() - t)
                    break
            gen.close()
            llm.script.clear()
    return {"cold_s": round(times[0], 4), "warm_median_s": round(statistics.median(times[1:] or times), 4)}


def overhead(tmp: Path, repeat: int) -> dict:
    """Each kind of job once to start the pool and fill the caches (reported as first_job_s), then
    `repeat` times as the app runs them, a few seconds apart (a taken worker is replaced meanwhile)."""
    rows = []

    def jobs(kind: str, request, before=lambda: None) -> None:
        for i in range(repeat + 1):
            before()
            _, total, result = first_reasoning(request)
            assert result.ok, [e.short() for e in result.errors]
            rows.append((kind, i == 0, total, result.timings))
            time.sleep(JOB_GAP_SECONDS)

    with ScriptedLLM() as llm:
        s = settings_in(tmp, provider="openai", base_url=llm.base_url, api_key="bench-key", model="bench")
        jobs("scripted", lambda: pipeline.Request(prompt="draw a ring", settings=s),
             lambda: llm.push(Reply(reasoning="The area formula.", content="$$ A = \\pi r^2 $$"),
                              Reply(reasoning="Ring first.", content=ANSWER, chunk_size=64)))
    s_off = settings_in(tmp, provider="offline")
    jobs("offline-formula", lambda: pipeline.Request(prompt="explain $f(x)=x^2 \\sin x$", settings=s_off))
    jobs("code", lambda: pipeline.Request(code=GOOD, settings=s_off, sanitize=False))
    out = {}
    for kind in ("scripted", "offline-formula", "code"):
        first = next(t for k, f, t, _ in rows if k == kind and f)
        mine = [(t, tm) for k, f, t, tm in rows if k == kind and not f]
        shares = [(t - tm.get("render", 0.0)) / t for t, tm in mine]
        # up to the video: what follows it is the job's history being written (store.py)
        video_shares = [(tm["to_video"] - tm.get("render", 0.0)) / tm["to_video"] for _, tm in mine]
        val_shares = [tm.get("validate", 0.0) / t for t, tm in mine]
        best = min(mine, key=lambda x: x[0])
        out[kind] = {
            "first_job_s": round(first, 2),
            "total_s": round(best[0], 2),
            "render_s": round(best[1].get("render", 0.0), 2),
            "overhead_share": round(statistics.median(shares), 3),
            "overhead_share_to_video": round(statistics.median(video_shares), 3),
            "validate_share": round(statistics.median(val_shares), 3),
            "timings": {k: round(v, 2) for k, v in best[1].items()},
        }
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-corpus", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    report = {}
    with tempfile.TemporaryDirectory(prefix="t2m-bench-") as d:
        tmp = Path(d)
        report["first_reasoning_offline"] = ttfr_offline(tmp, max(2, args.repeat))
        report["first_reasoning_scripted_server"] = ttfr_server(tmp, max(2, args.repeat))
        report["overhead_at_ql"] = overhead(tmp, args.repeat)
        if not args.skip_corpus:
            report["corpus"] = corpus(tmp)
    if args.json:
        print(json.dumps(report))
    else:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
