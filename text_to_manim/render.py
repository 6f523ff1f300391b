"""render: Manim in the sandbox; a long scene split into animation ranges rendered in parallel.

Each chunk runs all of `construct` but writes frames only for its range (`-n a,b`), so chunks are
independent processes; their videos are joined without re-encoding (the concat demuxer), which keeps
frames identical to a single-process render.
"""
from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from . import config, distributed, sandbox
from .events import RENDER, Artifact, CodeError, Finished, Progress
from .jobs import Job
from .validate import cache_dir, fail, inside_job, precheck

# Splitting pays only when the frames outweigh a second interpreter start (~2 s of work here).
MIN_CHUNK_VIDEO_SECONDS = 3.0
JOINABLE = ("mp4", "webm")


@dataclass
class RenderOutcome:
    ok: bool
    video: Optional[Path] = None
    image: Optional[Path] = None  # a scene that never animates gets a still PNG instead, as with plain manim
    errors: list = field(default_factory=list)  # list[CodeError]
    scene: Optional[str] = None
    note: str = ""
    chunks: list = field(default_factory=list)  # [(first, last)] animation ranges
    seconds: float = 0.0


def plan_chunks(durations: list[float], jobs: int) -> list[tuple[int, int]]:
    """Contiguous animation ranges of about equal video length, at most `jobs` of them."""
    n = len(durations)
    total = sum(durations)
    k = min(jobs, n, int(total // MIN_CHUNK_VIDEO_SECONDS)) if n else 1
    if k <= 1:
        return [(0, max(n - 1, 0))]
    ranges, first, acc = [], 0, 0.0
    for i, d in enumerate(durations):
        acc += d
        # close a chunk once it reaches its share, leaving at least one animation per later chunk
        if len(ranges) < k - 1 and acc >= total * (len(ranges) + 1) / k and n - 1 - i >= k - 1 - len(ranges):
            ranges.append((first, i))
            first = i + 1
    ranges.append((first, n - 1))
    return ranges


def _chunk_cache(job: Job, i: int) -> Path:
    """A copy of validate's TeX/text cache per chunk: Manim writes temp files beside cached SVGs, so
    concurrent chunks must not share one folder. Links are copied as links (never followed: the
    cache was written by untrusted code)."""
    src, dst = cache_dir(job), job.dir / "media" / f"part{i}" / "cache"
    if src.is_dir() and not dst.exists():
        shutil.copytree(src, dst, symlinks=True)
    return dst


def _chunk_args(job: Job, scene: str, quality: str, fmt: str, i: int, rng: tuple[int, int], last: bool) -> list[str]:
    args = ["render", str(job.scene_file), "--scene", scene, "--quality", quality, "--format", fmt,
            "--out", str(job.dir / "media" / f"part{i}"), "--output-name", f"part{i}",
            "--cache", str(_chunk_cache(job, i))]
    if rng[0] > 0:
        args += ["--from-anim", str(rng[0])]
    if not last:
        args += ["--upto-anim", str(rng[1])]
    return args


def render(code: str, job: Job, *, scene: Optional[str] = None, quality: Optional[str] = None,
           fmt: Optional[str] = None, settings: Optional[config.Settings] = None,
           cancel: Optional[threading.Event] = None, durations: Optional[list[float]] = None,
           jobs: Optional[int] = None, animations: Optional[int] = None) -> Iterator:
    """Yields Progress(render, i, n), Artifact(video), Failed; ends with Finished(RenderOutcome).

    `durations` (seconds per animation, from validate) enables parallel chunks; without it the scene
    renders in one process. `animations` alone only sizes the progress bar."""
    settings = settings or config.load()
    quality = quality or settings.quality
    fmt = fmt or settings.format
    start = time.monotonic()
    name, note, errors = precheck(code, job, scene)
    if errors:
        yield from fail(errors, RenderOutcome, note=note)
        return
    jobs = jobs or settings.render_jobs
    chunks = plan_chunks(durations, jobs) if (durations and fmt in JOINABLE) else [(0, -1)]
    total = len(durations) if durations else (animations or 0)
    limits = sandbox.Limits.for_quality(quality, settings.render_timeout, settings.job_disk_mb * sandbox.MIB)
    runs = [_chunk_args(job, name, quality, fmt, i, r, i == len(chunks) - 1) for i, r in enumerate(chunks)]
    logs = [job.log_file] if len(runs) == 1 else [job.dir / f"render.part{i}.log" for i in range(len(runs))]
    job.log(f"== render {name} at -q{quality} as {fmt}, chunks {chunks} ==")
    videos: dict[int, Path] = {}
    image: Optional[Path] = None
    results: dict[int, sandbox.RunResult] = {}
    done = 0
    run_all = distributed.chunk_stream(settings) or sandbox.stream  # a Ray cluster, or this machine
    for i, msg in run_all(job.dir, runs, limits, logs, cancel):
        if isinstance(msg, sandbox.RunResult):
            results[i] = msg
        elif msg["event"] == "played" and isinstance(msg.get("index"), int) and _in_range(msg["index"], chunks[i]):
            done += 1
            yield Progress(RENDER, done, max(total, done))
        elif msg["event"] == "video":
            videos[i] = inside_job(job, msg["path"])
        elif msg["event"] == "image":
            image = inside_job(job, msg["path"])
    _merge_logs(job, logs)
    errors = [e for i in sorted(results) for e in sandbox.errors_of(results[i], RENDER, limits, job.log_file)]
    if not errors and image and not videos:
        final = Path(shutil.copyfile(image, job.dir / f"{name}.png"))
        yield Artifact("image", final)
        yield Finished(RenderOutcome(ok=True, image=final, scene=name, note=note, chunks=chunks,
                                     seconds=time.monotonic() - start))
        return
    if not errors and any(videos.get(i) is None for i in range(len(runs))):
        errors = [CodeError(RENDER, "the render finished but wrote no video; see the log", kind="NoVideo")]
    if errors:
        yield from fail(_dedupe(errors), RenderOutcome, scene=name, note=note, chunks=chunks,
                        seconds=time.monotonic() - start)
        return
    final = job.dir / f"{name}.{fmt}"
    if len(runs) == 1:
        shutil.copyfile(videos[0], final)
    else:
        joined = _join(job, [videos[i] for i in range(len(runs))], final, limits, cancel)
        if joined:
            yield from fail(joined, RenderOutcome, scene=name, note=note, chunks=chunks,
                            seconds=time.monotonic() - start)
            return
    yield Artifact("video", final)
    yield Finished(RenderOutcome(ok=True, video=final, scene=name, note=note, chunks=chunks,
                                 seconds=time.monotonic() - start))


def _in_range(index: int, rng: tuple[int, int]) -> bool:
    return rng[0] <= index and (rng[1] < 0 or index <= rng[1])


def _join(job: Job, parts: list[Path], final: Path, limits: sandbox.Limits, cancel) -> list:
    """Concatenate chunk videos in the sandbox (they are the untrusted scene's output). Returns errors."""
    args = ["concat", str(final)] + [a for p in parts for a in ("--part", str(p))]
    result = None
    for _, msg in sandbox.stream(job.dir, [args], limits, [job.log_file], cancel):
        if isinstance(msg, sandbox.RunResult):
            result = msg
    errors = sandbox.errors_of(result, RENDER, limits, job.log_file)
    if not errors and not final.is_file():
        errors = [CodeError(RENDER, "joining the rendered chunks produced no video", kind="Concat")]
    return errors


def _merge_logs(job: Job, logs: list[Path]) -> None:
    for i, p in enumerate(logs):
        if p != job.log_file and p.exists():
            job.log(f"-- chunk {i} --\n" + p.read_text(errors="replace"))
            p.unlink()


def _dedupe(errors: list) -> list:
    """Chunks fail alike (each runs all of construct): report each distinct error once."""
    seen, out = set(), []
    for e in errors:
        key = (e.stage, e.message, e.line)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
