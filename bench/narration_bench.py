"""Narration figures (issue 18, `make bench`): where the first-time synthesis goes and what narration adds to
a ~30 s scene.

- synthesis: seconds of speech per CPU second for each voice, the Piper model's load time, and the
  first-time synthesis of the scene's texts one at a time vs in parallel (T2M_SPEECH_THREADS);
- scene: the whole pipeline on the narrated ~30 s scene of bench/speech_bench.py vs its silent twin (same
  length, same animations), with an empty audio cache ("cold": every text synthesised) and a full one
  ("warm"), the fastest of --reps runs each; plus the job's own 'speech' timing. Two clocks: until the
  video is there (the app plays it then) and until the job's end (a narrated job also writes the transcript
  into the notes and makes their PDF);
- model: the same two scenes written by a model (a scripted OpenAI-compatible server streaming the answer
  at --cps characters a second, code then notes; the silent code padded to the same length), the audio
  cache empty: the voice speaks each text while the model still writes.

The machine may be shared: the figures say what this run saw (the load average is printed with them).
Usage: python bench/narration_bench.py [--json] [--reps N]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from speech_bench import SENTENCES, narrated_scene, render, silent_scene, synthesis_speed, timed_job  # noqa: E402

from tests.llm_server import Reply, ScriptedLLM  # noqa: E402
from text_to_manim.pipeline.state import Request  # noqa: E402
from text_to_manim.sandbox.runner import mux  # noqa: E402
from text_to_manim.speech import engines  # noqa: E402
from text_to_manim.speech import narration as speech  # noqa: E402


def model_load_seconds() -> dict:
    """The Piper voice's load (ONNX session), once per process: wall and CPU seconds."""
    model, cfg = engines._piper_model() or (None, None)
    if model is None:
        return {}
    engines._piper_loaded.cache_clear()
    t, cpu = time.monotonic(), time.process_time()
    engines._piper_loaded(str(model), str(cfg))
    return {"wall": round(time.monotonic() - t, 3), "cpu": round(time.process_time() - cpu, 3)}


def first_time(threads: int, media: Path) -> dict:
    """Wall and CPU seconds (this process's threads) of the trusted step on the bench scene's texts with an
    empty cache and the voice loaded: what per-text work costs beyond the speech itself."""
    os.environ["T2M_SPEECH_THREADS"] = str(threads)
    root = media / f"speech-{threads}"
    shutil.rmtree(root, ignore_errors=True)
    s = speech.SpeechSettings(root=root)
    job = media / f"job-{threads}"
    job.mkdir(parents=True, exist_ok=True)
    from text_to_manim import config

    t, cpu = time.monotonic(), time.process_time()
    done = speech.prepare(narrated_scene(), job, config.load(media_dir=media), s)
    assert done.synthesized == len(SENTENCES), done
    return {"wall": round(time.monotonic() - t, 3), "cpu": round(time.process_time() - cpu, 3)}


NOTES = "# Shapes that change\n\n" + "Each shape becomes the next while the narration explains a step. " * 12


def model_answer(code: str, length: int) -> str:
    padded = code + "#" * max(0, length - len(code)) + "\n"  # the same streaming time for both scenes
    return f"## Code\n```python\n{padded}```\n## Notes\n{NOTES}"


def model_job(code: str, length: int, media: Path, cps: float) -> tuple[float, float]:
    """(seconds to the job's end, seconds to its video) of a model writing `code` at `cps` characters/s."""
    chunk = 20
    reply = Reply(content=model_answer(code, length), chunk_size=chunk, delay=chunk / cps)
    with ScriptedLLM([reply]) as llm:
        wall, to_video, _ = timed_job(Request(prompt="shapes that change", anchor=False), media, provider="openai",
                                      base_url=llm.base_url, api_key="k", model="m", max_repair_rounds=0)
    return wall, to_video


def _pct(value: float, base: float) -> float:
    return round(100 * (value - base) / base, 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--reps", type=int, default=2, help="runs of each kind; the fastest counts")
    ap.add_argument("-q", "--quality", default="l", choices=["l", "m", "h"], help="render quality (default l)")
    ap.add_argument("--cps", type=float, default=300.0, help="the model's streaming speed, characters a second")
    args = ap.parse_args(argv)
    os.environ["T2M_QUALITY"] = args.quality  # speech_bench.render loads the settings from the environment
    out: dict = {"load_average": [round(x, 2) for x in os.getloadavg()], "cores": os.cpu_count(),
                 "synthesis": [synthesis_speed(v.name) for v in engines.voices() if v.available and v.name != "openai"]}
    with tempfile.TemporaryDirectory() as tmp:
        media = Path(tmp) / "media"
        out["piper_model_load_seconds"] = model_load_seconds()
        out["first_time_synthesis_seconds"] = {"one_at_a_time": first_time(1, media),
                                               "parallel": first_time(speech.MAX_THREADS, media)}
        os.environ.pop("T2M_SPEECH_THREADS", None)
        code = narrated_scene()
        _, result = render(code, media)  # warm-up: TeX cache, worker; and the voice's durations
        narration = json.loads((Path(result.video).parent / "narration.json").read_text())
        silent_code = silent_scene([narration[t]["duration"] for t in speech.collect(code)])
        times: dict[str, list[float]] = {"silent": [], "cold": [], "warm": []}
        videos: dict[str, list[float]] = {k: [] for k in times}
        models: dict[str, list[float]] = {"silent": [], "narrated": []}
        model_videos: dict[str, list[float]] = {k: [] for k in models}
        spoken: list[float] = []
        length = max(len(code), len(silent_code))
        for _ in range(args.reps):
            for kind, source in (("silent", silent_code), ("warm", code), ("cold", code)):
                if kind == "cold":
                    shutil.rmtree(media / "cache" / "speech", ignore_errors=True)
                wall, to_video, done = timed_job(Request(code=source, sanitize=False), media, quality=args.quality)
                times[kind].append(wall)
                videos[kind].append(to_video)
                if kind == "cold":
                    spoken.append(done.timings.get("speech", 0.0))
            for kind, source in (("silent", silent_code), ("narrated", code)):
                shutil.rmtree(media / "cache" / "speech", ignore_errors=True)
                wall, to_video = model_job(source, length, media, args.cps)
                models[kind].append(wall)
                model_videos[kind].append(to_video)
        best = {k: min(v) for k, v in times.items()}
        best_video = {k: min(v) for k, v in videos.items()}
        streams = mux.probe(Path(result.video))
        out["scene"] = {"quality": args.quality,
                        "video_seconds": round(streams.video, 2), "audio_seconds": round(streams.audio or 0, 2),
                        "voice": engines.pick().name, "reps": args.reps,
                        "speech_step_seconds_cold": round(min(spoken), 2),
                        **{f"{k}_wall": round(v, 2) for k, v in best.items()},
                        **{f"{k}_to_video": round(v, 2) for k, v in best_video.items()},
                        **{f"{k}_overhead_pct": _pct(v, best["silent"]) for k, v in best.items() if k != "silent"},
                        **{f"{k}_to_video_overhead_pct": _pct(v, best_video["silent"])
                           for k, v in best_video.items() if k != "silent"}}
        mbest = {k: min(v) for k, v in models.items()}
        mvideo = {k: min(v) for k, v in model_videos.items()}
        out["model"] = {"cps": args.cps, "answer_chars": len(model_answer(code, length)),
                        "silent_wall": round(mbest["silent"], 2), "narrated_wall": round(mbest["narrated"], 2),
                        "silent_to_video": round(mvideo["silent"], 2), "narrated_to_video": round(mvideo["narrated"], 2),
                        "overhead_pct": _pct(mbest["narrated"], mbest["silent"]),
                        "to_video_overhead_pct": _pct(mvideo["narrated"], mvideo["silent"])}
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"machine  {out['cores']} cores, load average {out['load_average']} (shared: figures vary run to run)")
    for row in out["synthesis"]:
        print(f"{row['voice']:7}  {row['speech_seconds']:6.2f} s of speech in {row['cpu_seconds']:6.3f} CPU s: "
              f"{row['speech_per_cpu_second']:6.1f} s of speech per CPU second")
    ft = out["first_time_synthesis_seconds"]
    load, one, par = out["piper_model_load_seconds"], ft["one_at_a_time"], ft["parallel"]
    print(f"piper    model load {load.get('wall')} s wall / {load.get('cpu')} CPU s (once per process); the scene's "
          f"{len(SENTENCES)} texts first time: {one['wall']} s wall / {one['cpu']} CPU s one at a time, "
          f"{par['wall']} s wall / {par['cpu']} CPU s in parallel")
    sc = out["scene"]
    print(f"scene    -q{sc['quality']}, {sc['video_seconds']} s video ({sc['audio_seconds']} s audio, "
          f"voice {sc['voice']}), fastest of "
          f"{sc['reps']}, to the job's end: silent {sc['silent_wall']} s; narrated {sc['cold_wall']} s "
          f"({sc['cold_overhead_pct']:+} %) synthesising every text (speech step {sc['speech_step_seconds_cold']} s), "
          f"{sc['warm_wall']} s ({sc['warm_overhead_pct']:+} %) from the audio cache")
    print(f"         until the video is there: silent {sc['silent_to_video']} s; narrated {sc['cold_to_video']} s "
          f"({sc['cold_to_video_overhead_pct']:+} %) synthesising, {sc['warm_to_video']} s "
          f"({sc['warm_to_video_overhead_pct']:+} %) from the cache")
    md = out["model"]
    print(f"model    writing at {md['cps']:.0f} chars/s ({md['answer_chars']} chars), audio cache empty: to the job's "
          f"end silent {md['silent_wall']} s, narrated {md['narrated_wall']} s ({md['overhead_pct']:+} %); until the "
          f"video is there {md['silent_to_video']} s vs {md['narrated_to_video']} s ({md['to_video_overhead_pct']:+} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
