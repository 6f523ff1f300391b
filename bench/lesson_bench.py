"""`make bench`: a lesson's figures (issue 17), with a scripted model server on 127.0.0.1 (no model time):

- wall time of a 4-scene lesson (scenes in parallel, T2M_RENDER_CONCURRENCY, default the cores) against the
  same 4 scenes rendered one after another as single-scene jobs (target: <= 0.6x on 2 cores);
- seconds until scene 1 is playable (its SceneClip) against a single-scene job of the same scene until its
  video (target: <= +10 %).

Each figure twice: with answers at once (render work only), and with the model streaming its answers at
--cps characters a second (a real model takes seconds per answer: the lesson's calls overlap, its storyboard
call comes first).

One warm-up job first (the worker pool starts, the caches fill), pauses between phases so the pool replaces
its workers, the result cache off. The machine may be shared: run it a few times to see the spread.
Usage: python bench/lesson_bench.py [--concurrency N] [--cps CHARS_PER_SECOND]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.llm_server import Reply, ScriptedLLM, scene_reply, storyboard_reply  # noqa: E402
from text_to_manim import config  # noqa: E402
from text_to_manim.events import Artifact, Finished, SceneClip  # noqa: E402
from text_to_manim.generate import prompts  # noqa: E402
from text_to_manim.pipeline import conductor, lesson  # noqa: E402

PAUSE = 6.0  # seconds for the pool to replace the workers a phase used


def scene(n: int, colour: str) -> str:
    """A scene of 4 short animations (about 3.5 s of video at -ql), as a small lesson scene is."""
    return f"""from manim import *


class Part{n}(Scene):
    def construct(self):
        title = Text("Part {n}", font_size=40).to_edge(UP)
        shape = Square(side_length=2, color={colour})
        dots = VGroup(*[Dot(RIGHT * (i - 2)) for i in range(5)]).next_to(shape, DOWN)
        self.play(FadeIn(title), run_time=0.5)
        self.play(Create(shape), run_time=1)
        self.play(shape.animate.rotate(PI / 4).set_fill({colour}, 0.5), run_time=1)
        self.play(FadeIn(dots, lag_ratio=0.2), run_time=0.8)
        self.wait(0.2)
"""


CODES = {i: scene(i, c) for i, c in enumerate(["BLUE", "GREEN", "YELLOW", "RED"], start=1)}
PLAN = [{"title": f"Part {i}", "goal": f"part {i}", "on_screen": "a square", "formulas": [], "narration": "",
         "seconds": 4} for i in CODES]


class Route:
    """The storyboard for the plan request, scene n's code for a prompt naming it; streamed at `cps`."""

    def __init__(self) -> None:
        self.cps = 0.0

    def __call__(self, body: dict) -> Reply:
        messages = body["messages"]
        if messages[0]["content"] == prompts.STORYBOARD_SYSTEM:
            reply = storyboard_reply("Bench lesson", PLAN)
        else:
            m = re.search(r"(?:Scene|bench scene) (\d)", messages[1]["content"])
            reply = scene_reply(CODES[int(m.group(1)) if m else 1])
        if self.cps:
            reply.delay = reply.chunk_size / self.cps
        return reply


def phase(s: config.Settings) -> dict:
    """The single jobs one after another, then the lesson (a pause before each for the worker pool)."""
    time.sleep(PAUSE)
    t = time.perf_counter()
    runs = [single(s, n) for n in CODES]
    sequential = time.perf_counter() - t
    time.sleep(PAUSE)
    first, total, status = run_lesson(s)
    single_first = runs[0][0]
    return {"lesson_status": status, "single_jobs_ok": all(ok for _, ok in runs),
            "lesson_wall_s": round(total, 2), "sequential_wall_s": round(sequential, 2),
            "lesson_vs_sequential": round(total / sequential, 3),
            "scene1_playable_s": round(first, 2), "single_scene_video_s": round(single_first, 2),
            "scene1_vs_single": round(first / single_first, 3)}


def single(s: config.Settings, n: int) -> tuple[float, bool]:
    """(seconds until the video, ok) of a single-scene job of scene n."""
    t = time.perf_counter()
    to_video, ok = float("nan"), False
    for ev in conductor.run(conductor.Request(prompt=f"bench scene {n}", settings=s, anchor=False)):
        if isinstance(ev, Artifact) and ev.kind == "video" and to_video != to_video:
            to_video = time.perf_counter() - t
        if isinstance(ev, Finished):
            ok = ev.result.ok
    return to_video, ok


def run_lesson(s: config.Settings) -> tuple[float, float, str]:
    """(seconds to scene 1's clip, seconds to the whole lesson, status)."""
    t = time.perf_counter()
    first, status = float("nan"), ""
    for ev in lesson.run(lesson.LessonRequest(prompt="bench lesson", settings=s)):
        if isinstance(ev, SceneClip) and ev.index == 1:
            first = time.perf_counter() - t
        if isinstance(ev, Finished):
            status = ev.result.status
    return first, time.perf_counter() - t, status


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concurrency", type=int, default=config.load().render_concurrency)
    ap.add_argument("--cps", type=float, default=300.0, help="the model's streaming speed, characters a second")
    args = ap.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per model request otherwise
    route = Route()
    out: dict = {"cores": os.cpu_count(), "concurrency": args.concurrency, "scenes": len(CODES),
                 "target_lesson_vs_sequential": 0.6, "target_scene1_vs_single": 1.1}
    with tempfile.TemporaryDirectory() as tmp, ScriptedLLM(route=route) as llm:
        s = config.Settings(provider="openai", base_url=llm.base_url, api_key="bench", model="bench",
                            media_dir=Path(tmp) / "media", db_path=Path(tmp) / "media" / "h.db", result_cache_mb=0,
                            render_concurrency=args.concurrency, quality="l")
        single(s, 1)  # warm-up: the pool, the text cache
        out["load_avg_1m_start"] = round(os.getloadavg()[0], 2)
        out["answers_at_once"] = phase(s)
        route.cps = args.cps
        out[f"model_{args.cps:g}_chars_per_s"] = phase(s)
        out["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    out = {"lesson_bench": out}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
