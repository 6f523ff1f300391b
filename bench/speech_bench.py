"""Narration figures (issue 18): synthesis speed per voice (seconds of speech per CPU second), and the extra
wall time narration adds to a ~30 s scene rendered through the whole pipeline (target: <= 15 %).

The silent scene is the narrated one with each voiceover block replaced by a plain play of the same length,
so both videos last the same. All runs share one media folder (TeX cache, warm workers) after a warm-up
run, with the result cache off; "cold" runs empty the audio cache first, "warm" runs find every text there,
"manim_mix" is warm with T2M_NARRATION_MIX=manim (the scene's add_sound, Manim's own mix).

Usage: python bench/speech_bench.py [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from text_to_manim import config  # noqa: E402
from text_to_manim.pipeline import conductor as pipeline  # noqa: E402
from text_to_manim.sandbox.runner import mux  # noqa: E402
from text_to_manim.speech import engines  # noqa: E402
from text_to_manim.speech import narration as speech  # noqa: E402

SENTENCES = [
    "A derivative measures how quickly a function changes at a point.",
    "Here the secant line through two nearby points approaches the tangent line.",
    "As the gap shrinks to zero, the slope of the secant becomes the slope of the tangent.",
    "For x squared, that slope is two x, which we can read off the picture.",
    "Integration runs the other way: it adds up thin rectangles under the curve.",
    "The fundamental theorem of calculus ties these two ideas together.",
    "Both ideas appear everywhere, from the motion of planets to the spread of a rumour.",
]
SHAPES = ["Circle()", "Square()", "Triangle()", "RegularPolygon(5)", "RegularPolygon(6)", "Star()", "Ellipse()"]


def narrated_scene() -> str:
    body = ["from manim import *", "from manim_voiceover import VoiceoverScene",
            "from manim_voiceover.services.gtts import GTTSService", "", "",
            "class Narrated(VoiceoverScene):", "    def construct(self):",
            "        self.set_speech_service(GTTSService())", "        shape = Dot()", "        self.add(shape)"]
    for text, shape in zip(SENTENCES, SHAPES):
        body += [f"        with self.voiceover(text={text!r}) as tracker:",
                 f"            self.play(Transform(shape, {shape}), run_time=tracker.duration)"]
    return "\n".join(body) + "\n"


def silent_scene(durations: list[float]) -> str:
    body = ["from manim import *", "", "", "class Silent(Scene):", "    def construct(self):",
            "        shape = Dot()", "        self.add(shape)"]
    for d, shape in zip(durations, SHAPES):
        body += [f"        self.play(Transform(shape, {shape}), run_time={d:.4f})"]
    return "\n".join(body) + "\n"


def synthesis_speed(name: str) -> dict:
    voice = engines.pick(name)
    text = " ".join(SENTENCES)
    with tempfile.TemporaryDirectory() as tmp:
        voice.synthesize("Warm up.", Path(tmp) / "w.wav")  # Piper loads its model once per process
        cpu0, kids0, wall0 = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        said = voice.synthesize(text, Path(tmp) / "a.wav")
        kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (time.process_time() - cpu0) + (kids1.ru_utime - kids0.ru_utime) + (kids1.ru_stime - kids0.ru_stime)
        wall = time.monotonic() - wall0
    return {"voice": name, "speech_seconds": round(said.duration, 2), "cpu_seconds": round(cpu, 3),
            "wall_seconds": round(wall, 3), "speech_per_cpu_second": round(said.duration / cpu, 1)}


def render(code: str, media: Path, mix: str = "app") -> tuple[float, object]:
    wall, _, result = timed_job(pipeline.Request(code=code, sanitize=False), media, mix)
    return wall, result


def timed_job(request, media: Path, mix: str = "app", **changes) -> tuple[float, float, object]:
    """A whole job with the bench's settings: (seconds to its end, seconds until its video was there, result)."""
    from dataclasses import replace

    from text_to_manim.events import Artifact

    s = config.load(media_dir=media, db_path=media / "history.sqlite3", provider="offline", api_key="",
                    result_cache_mb=0).with_(**changes)
    os.environ["T2M_NARRATION_MIX"] = mix
    settle(s)
    t, to_video = time.monotonic(), None
    for ev in pipeline.run(replace(request, settings=s)):
        if to_video is None and isinstance(ev, Artifact) and ev.kind == "video":
            to_video = time.monotonic() - t
    result = ev.result
    if not result.ok:
        raise SystemExit(f"render failed: {[e.short() for e in result.errors]}")
    return time.monotonic() - t, to_video or 0.0, result


def settle(settings, timeout: float = 30.0) -> None:
    """Every job starts alike: the warm pool full again (a job's worker is replaced when it ends, and the new
    one imports Manim: a job started at once would share the cores with that) and the PDF of the last
    job's notes made."""
    from text_to_manim.sandbox import workers

    pool = workers.pool_for(settings)
    deadline = time.monotonic() + timeout
    while pool is not None and len(pool.idle) < pool.size and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)


def finish_cost(video: Path, media: Path) -> dict:
    """Wall and CPU seconds of the app's mix on a copy of a narrated video: probe, build the track, mux it
    (all in this process, so its CPU time is the whole cost, whatever the machine's load)."""
    import srt

    from text_to_manim.speech import cache

    voice = engines.pick()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / video.name
        shutil.copyfile(video, copy)
        t, cpu = time.monotonic(), time.process_time()
        placed = [(c.start.total_seconds(), cache.lookup(media / "cache" / "speech", c.content, voice, 1.0).path)
                  for c in srt.parse(video.with_name("captions.srt").read_text())]
        mux.add_audio(copy, mux.track(placed, mux.probe(copy).video), copy.with_name(f"n{copy.name}"))
        return {"wall": round(time.monotonic() - t, 3), "cpu": round(time.process_time() - cpu, 3)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--reps", type=int, default=2, help="runs of each kind; the fastest counts")
    args = ap.parse_args(argv)
    out: dict = {"synthesis": [synthesis_speed(v.name) for v in engines.voices() if v.available]}
    with tempfile.TemporaryDirectory() as tmp:
        media = Path(tmp) / "media"  # one media folder: the TeX cache and warm workers alike for every run
        code = narrated_scene()
        _, result = render(code, media)  # warm-up, and the voice's durations for the silent twin
        narration = json.loads((Path(result.video).parent / "narration.json").read_text())
        silent_code = silent_scene([narration[t]["duration"] for t in speech.collect(code)])
        times: dict[str, list[float]] = {"silent": [], "cold": [], "warm": [], "manim_mix": []}
        for _ in range(args.reps):
            times["silent"].append(render(silent_code, media)[0])
            shutil.rmtree(media / "cache" / "speech", ignore_errors=True)  # every text synthesised again
            times["cold"].append(render(code, media)[0])
            times["warm"].append(render(code, media)[0])
            times["manim_mix"].append(render(code, media, mix="manim")[0])
        best = {k: min(v) for k, v in times.items()}
        out["finish_seconds"] = finish_cost(Path(result.video), media)
        _, silent_result = render(silent_code, media)
        streams = mux.probe(Path(result.video))
        out["scene"] = {"video_seconds": round(streams.video, 2), "audio_seconds": round(streams.audio or 0, 2),
                        "silent_video_seconds": round(mux.probe(Path(silent_result.video)).video, 2),
                        "voice": engines.pick().name, "reps": args.reps,
                        **{f"{k}_wall": round(v, 2) for k, v in best.items()},
                        **{f"{k}_overhead_pct": round(100 * (v - best["silent"]) / best["silent"], 1)
                           for k, v in best.items() if k != "silent"}}
    if args.json:
        print(json.dumps(out))
    else:
        for row in out["synthesis"]:
            print(f"{row['voice']:7} {row['speech_seconds']:6.2f} s of speech in {row['cpu_seconds']:6.3f} CPU s: "
                  f"{row['speech_per_cpu_second']:6.1f} s of speech per CPU second")
        sc = out["scene"]
        print(f"scene   {sc['video_seconds']} s video ({sc['audio_seconds']} s audio, voice {sc['voice']}), "
              f"fastest of {sc['reps']}: silent {sc['silent_wall']} s; narrated: "
              f"{sc['cold_wall']} s ({sc['cold_overhead_pct']:+} %) synthesising every text, "
              f"{sc['warm_wall']} s ({sc['warm_overhead_pct']:+} %) from the audio cache, "
              f"{sc['manim_mix_wall']} s ({sc['manim_mix_overhead_pct']:+} %) from the cache mixed by Manim")
        fin = out["finish_seconds"]
        print(f"finish  {fin['wall']} s wall, {fin['cpu']} CPU s: probe, build and mux the app's track for this video")
    return 0


if __name__ == "__main__":
    sys.exit(main())
