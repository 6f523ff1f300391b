"""Narration figures (issue 18, `make bench`): where the first-time synthesis goes and what narration adds to
a ~30 s scene.

- synthesis: seconds of speech per CPU second for each voice, the Piper model's load time, and the
  first-time synthesis of the scene's texts one at a time vs in parallel (T2M_SPEECH_THREADS);
- scene: the whole pipeline on the narrated ~30 s scene of bench/speech_bench.py vs its silent twin (same
  length, same animations), with an empty audio cache ("cold": every text synthesised) and a full one
  ("warm"), the fastest of --reps runs each; plus the job's own 'speech' timing.

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

from speech_bench import SENTENCES, narrated_scene, render, silent_scene, synthesis_speed  # noqa: E402

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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--reps", type=int, default=2, help="runs of each kind; the fastest counts")
    ap.add_argument("-q", "--quality", default="l", choices=["l", "m", "h"], help="render quality (default l)")
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
        spoken: list[float] = []
        for _ in range(args.reps):
            times["silent"].append(render(silent_code, media)[0])
            shutil.rmtree(media / "cache" / "speech", ignore_errors=True)
            wall, cold = render(code, media)
            times["cold"].append(wall)
            spoken.append(cold.timings.get("speech", 0.0))
            times["warm"].append(render(code, media)[0])
        best = {k: min(v) for k, v in times.items()}
        streams = mux.probe(Path(result.video))
        out["scene"] = {"quality": args.quality,
                        "video_seconds": round(streams.video, 2), "audio_seconds": round(streams.audio or 0, 2),
                        "voice": engines.pick().name, "reps": args.reps,
                        "speech_step_seconds_cold": round(min(spoken), 2),
                        **{f"{k}_wall": round(v, 2) for k, v in best.items()},
                        **{f"{k}_overhead_pct": round(100 * (v - best["silent"]) / best["silent"], 1)
                           for k, v in best.items() if k != "silent"}}
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
          f"{sc['reps']}: silent {sc['silent_wall']} s; narrated {sc['cold_wall']} s ({sc['cold_overhead_pct']:+} %) "
          f"synthesising every text (speech step {sc['speech_step_seconds_cold']} s), {sc['warm_wall']} s "
          f"({sc['warm_overhead_pct']:+} %) from the audio cache")
    return 0


if __name__ == "__main__":
    sys.exit(main())
