"""render: Manim in the sandbox; a long scene split into animation ranges rendered in parallel.

Each chunk runs all of `construct` but writes frames only for its range (`-n a,b`), so chunks are
independent processes (children of the job's warm worker, or cold processes); their videos are joined
without re-encoding (the concat demuxer), which keeps frames identical to a single-process render.
Runner arguments and the paths runs report are relative to the run's folder (see validate).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from text_to_manim import config
from text_to_manim.events import RENDER, Artifact, CodeError, Event, Finished, Progress
from text_to_manim.jobs import SCENE_FILE, Job
from text_to_manim.sandbox import fs as sandbox_fs
from text_to_manim.sandbox import targets, workers
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.sandbox.targets import RunTarget
from text_to_manim.scene.gate import CheckedCode
from text_to_manim.scene.validate import CACHE, admit, fail, inputs
from text_to_manim.speech import narration as speech

# Splitting pays only when a chunk's frames outweigh running all of construct once more.
MIN_CHUNK_VIDEO_SECONDS = 3.0
JOINABLE = ("mp4", "webm")
NO_VIDEO = "the render finished but wrote no video; see the log"
NO_JOINED_VIDEO = "joining the rendered chunks produced no video"
NARRATED_DIR = "media/narrated"  # where the mux run writes the narrated video, in the run's folder


@dataclass
class RenderOutcome:
    ok: bool
    video: Optional[Path] = None
    image: Optional[Path] = None  # a scene that never animates gets a still PNG instead, as with plain manim
    errors: list[CodeError] = field(default_factory=list)
    scene: Optional[str] = None
    note: str = ""
    chunks: list[tuple[int, int]] = field(default_factory=list)  # animation ranges (first, last)
    seconds: float = 0.0
    captions: Optional[speech.Captions] = None  # the narration's captions (and how its audio was made)


def plan_chunks(durations: list[float], jobs: int) -> list[tuple[int, int]]:
    """Contiguous animation ranges of about equal video length, at most `jobs` of them."""
    n = len(durations)
    total = sum(durations)
    k = min(jobs, n, int(total // MIN_CHUNK_VIDEO_SECONDS)) if n else 1
    if k <= 1:
        return [(0, max(n - 1, 0))]
    ranges: list[tuple[int, int]] = []
    first, acc = 0, 0.0
    for i, d in enumerate(durations):
        acc += d
        # close a chunk once it reaches its share, leaving at least one animation per later chunk
        if len(ranges) < k - 1 and acc >= total * (len(ranges) + 1) / k and n - 1 - i >= k - 1 - len(ranges):
            ranges.append((first, i))
            first = i + 1
    ranges.append((first, n - 1))
    return ranges


def start_early(checked: CheckedCode, job: Job, *, quality: str, fmt: str, settings: config.Settings,
                runs: RunTarget) -> Optional[workers.WarmRun]:
    """Start rendering the whole scene in the job's warm worker now, while validation runs: on a
    second core the render is then nearly done when validation ends. `render(head_start=...)` takes it
    over as the first chunk; the caller kills it if validation fails. None when `runs` is cold, or when
    `settings.early_render` is off (T2M_EARLY_RENDER=0)."""
    if not runs.warm or not settings.early_render:
        return None
    runs.sync_in(inputs(job))
    limits = sandbox.Limits.for_quality(quality, settings.render_timeout).for_job(settings)
    return runs.start(_chunk_args(checked.scene, quality, fmt, 0, (0, -1), True, _narrated(checked, fmt, settings)),
                      limits, job.dir / "render.part0.log")


def _narrated(checked: CheckedCode, fmt: str, settings: config.Settings) -> Optional[str]:
    """Where a run that renders the whole scene puts the video with its narration (it muxes the track in
    itself: no run of its own for it), or None when it should not."""
    if fmt not in JOINABLE or not speech.muxed_in_run(checked.code, settings):
        return None
    return f"{NARRATED_DIR}/{checked.scene}.{fmt}"


def _adopt(head: workers.WarmRun, chunks: list[tuple[int, int]], durations: list[float],
           jobs: int) -> tuple[list[tuple[int, int]], bool]:
    """The chunks with the early render as the first: it renders to the end when one chunk is planned,
    else it is told to stop after the first chunk (or the animation it is on, if later) and the rest is
    planned after that. (chunks, adopted): not adopted when it did not answer (it is then killed)."""
    if len(chunks) == 1:
        return chunks, True
    last = head.stop_after(chunks[0][1])
    if last is None:
        if head.route.answered.is_set():  # it ended before the order: the whole scene, or its error
            return [(0, -1)], True
        head.kill()
        return chunks, False
    if last >= len(durations) - 1:
        return [(0, -1)], True
    rest = plan_chunks(durations[last + 1:], max(1, jobs - 1))
    return [(0, last)] + [(a + last + 1, b + last + 1) for a, b in rest], True


def _chunk_args(scene: str, quality: str, fmt: str, i: int, rng: tuple[int, int], last: bool,
                narrated: Optional[str] = None) -> list[str]:
    # One private cache for all chunks: the runner writes every cache file aside and renames it.
    args = ["render", SCENE_FILE, "--scene", scene, "--quality", quality, "--format", fmt,
            "--out", f"media/part{i}", "--output-name", f"part{i}", "--cache", CACHE]
    if rng[0] > 0:
        args += ["--from-anim", str(rng[0])]
    if not last:
        args += ["--upto-anim", str(rng[1])]
    if narrated and rng[0] == 0 and last:  # the whole scene in one run: it muxes the narration in too
        args += ["--narrated", narrated]
    return args


def render(code: str | CheckedCode, job: Job, *, scene: Optional[str] = None, quality: Optional[str] = None,
           fmt: Optional[str] = None, settings: Optional[config.Settings] = None,
           cancel: Optional[threading.Event] = None, durations: Optional[list[float]] = None,
           jobs: Optional[int] = None, animations: Optional[int] = None, runs: Optional[RunTarget] = None,
           head_start: Optional[workers.WarmRun] = None, upto: Optional[int] = None) -> Iterator[Event]:
    """Yields Progress(render, i, n), Artifact(video), Failed; ends with Finished(RenderOutcome).

    `durations` (seconds per animation, from validate) enables parallel chunks; without it the scene
    renders in one process. `animations` alone only sizes the progress bar. `code`: as the gate passed it,
    or raw (reviewed first). `runs`: where the runs go (a leased warm worker); by default
    `targets.choose` without a worker. `head_start`: the render `start_early` began, taken over as the
    first chunk (its time counts from its start). `upto`: render animations 0..upto only (a partial video
    of a scene that fails after them)."""
    settings = settings or config.load()
    quality = quality or settings.quality
    fmt = fmt or settings.format
    start = head_start.state.clock.start if head_start is not None else time.monotonic()
    checked, errors, note = admit(code, job, scene)
    if checked is None:
        yield from fail(errors, RenderOutcome, note=note)
        return
    name = checked.scene
    jobs = jobs or settings.render_jobs
    if upto is not None:
        durations = (durations or [])[:upto + 1]
    chunks = plan_chunks(durations, jobs) if (durations and fmt in JOINABLE) else [(0, -1 if upto is None else upto)]
    total = len(durations) if durations else (animations or 0)
    limits = sandbox.Limits.for_quality(quality, settings.render_timeout,
                                        settings.job_disk_mb * sandbox.MIB).for_job(settings)
    runs = runs or targets.choose(job.dir, settings)
    runs.sync_in(inputs(job))
    started: tuple[workers.WarmRun, ...] = ()
    if head_start is not None:
        chunks, adopted = _adopt(head_start, chunks, durations or [], jobs)
        started = (head_start,) if adopted else ()
    narrated = _narrated(checked, fmt, settings)
    args = [_chunk_args(name, quality, fmt, i, r, i == len(chunks) - 1 and upto is None, narrated)
            for i, r in enumerate(chunks)][len(started):]
    logs = ([job.log_file] if len(chunks) == 1 and not started else
            [job.dir / f"render.part{i}.log" for i in range(len(chunks))])
    job.log(f"== render {name} at -q{quality} as {fmt}, chunks {chunks} ==")
    videos: dict[int, Optional[Path]] = {}
    image: Optional[Path] = None
    results: dict[int, sandbox.RunResult] = {}
    done = 0
    cues: list[dict] = []
    muxed: dict[int, dict] = {}  # what a run that rendered the whole scene reported of its narrated video
    for i, msg in runs.stream_chunks(args, limits, logs[len(started):], cancel, started):
        if isinstance(msg, sandbox.RunResult):
            results[i] = msg
        elif msg["event"] == "played" and isinstance(msg.get("index"), int) and _in_range(msg["index"], chunks[i]):
            done += 1
            yield Progress(RENDER, done, max(total, done))
        elif msg["event"] == "video":
            videos[i] = runs.resolve(msg["path"])
        elif msg["event"] == "image":
            image = runs.resolve(msg["path"])
        elif msg["event"] == "cue":  # a voiceover block: (start, end, text), for captions and audio
            cues.append(msg)
        elif msg["event"] in ("muxed", "mux_failed"):
            muxed[i] = msg
    _merge_logs(job, logs)
    errors = [e for i in sorted(results) for e in sandbox.errors_of(results[i], RENDER, limits, job.log_file)]
    if not errors and image and not videos:
        final = sandbox_fs.copy(image, job.dir / f"{name}.png", beneath=runs.dir)
        yield Artifact("image", final)
        yield Finished(RenderOutcome(ok=True, image=final, scene=name, note=note, chunks=chunks,
                                     seconds=time.monotonic() - start))
        return
    parts = [p for p in (videos.get(i) for i in range(len(chunks))) if p is not None]
    if not errors and len(parts) < len(chunks):
        errors = [CodeError(RENDER, NO_VIDEO, kind="NoVideo")]
    video = parts[0] if parts else None
    whole = muxed.get(0) if len(chunks) == 1 and upto is None else None
    if not errors and len(chunks) > 1:
        plan = _mux_plan(runs, job, name, fmt, cues, settings) if narrated and cues else None
        video, errors, whole = _join(runs, job, parts, f"{name}.{fmt}", limits, cancel, plan)
    if errors or video is None:
        yield from fail(_dedupe(errors), RenderOutcome, scene=name, note=note, chunks=chunks,
                        seconds=time.monotonic() - start)
        return
    final = job.dir / f"{name}.{fmt}"
    narrated_video = _narrate(runs, job, video, final, cues, limits, cancel, settings, whole) if cues else None
    if not narrated_video and video != final:
        sandbox_fs.copy(video, final, beneath=runs.dir)
    yield Artifact("video", final)
    if narrated_video:
        yield Artifact("captions", narrated_video.vtt)
        yield Artifact("captions_srt", narrated_video.srt)
    yield Finished(RenderOutcome(ok=True, video=final, scene=name, note=note, chunks=chunks,
                                 seconds=time.monotonic() - start, captions=narrated_video))


def _in_range(index: int, rng: tuple[int, int]) -> bool:
    return rng[0] <= index and (rng[1] < 0 or index <= rng[1])


def _run_one(runs: RunTarget, job: Job, args: list[str], limits: sandbox.Limits,
             cancel: Optional[threading.Event]) -> tuple[list[dict], list[CodeError]]:
    """One run in the sandbox, its log into the job's: (its messages, its errors)."""
    result: Optional[sandbox.RunResult] = None
    messages: list[dict] = []
    for _, msg in runs.stream([args], limits, [job.log_file], cancel):
        if isinstance(msg, sandbox.RunResult):
            result = msg
        else:
            messages.append(msg)
    assert result is not None  # a stream ends every run with its RunResult
    return messages, sandbox.errors_of(result, RENDER, limits, job.log_file)


def _join(runs: RunTarget, job: Job, parts: list[Path], name: str, limits: sandbox.Limits,
          cancel: Optional[threading.Event], plan: Optional[str] = None,
          ) -> tuple[Optional[Path], list[CodeError], Optional[dict]]:
    """Concatenate chunk videos in the sandbox (they are the untrusted scene's output), with the narration
    `plan` (mux.PLAN_FILE) muxed in while joining: (video, errors, what the run reported of the muxing)."""
    base = runs.dir.resolve()
    args = ["concat", name] + [a for p in parts for a in ("--part", p.relative_to(base).as_posix())]
    if plan:
        args += ["--mux-plan", plan]
    messages, errors = _run_one(runs, job, args, limits, cancel)
    video = next((runs.resolve(m["path"]) for m in messages if m["event"] == "video"), None)
    if not errors and video is None:
        errors = [CodeError(RENDER, NO_JOINED_VIDEO, kind="Concat")]
    return video, errors, next((m for m in messages if m["event"] in ("muxed", "mux_failed")), None)


def _mux_plan(runs: RunTarget, job: Job, name: str, fmt: str, cues: list[dict],
              settings: config.Settings) -> Optional[str]:
    """The narration plan for the run that joins the chunks (it muxes the track in while joining)."""
    staged = speech.stage(f"{name}.{fmt}", f"{name}.{fmt}", cues, job.dir, settings)
    if staged is None or not staged.args:
        return None
    runs.sync_in(staged.files)
    return staged.args[-1]


def join_clips(job: Job, clips: list[Path], name: str, chapters: list[str], settings: config.Settings,
               cancel: Optional[threading.Event] = None) -> tuple[Optional[Path], list[dict], list[CodeError]]:
    """A lesson's clips (beneath the job's folder) joined in the sandbox without re-encoding, one chapter per
    clip written into the video: (the video, the chapters as the run measured them, errors)."""
    runs = targets.choose(job.dir, settings)
    limits = sandbox.Limits.for_quality(settings.quality, settings.render_timeout,
                                        settings.job_disk_mb * sandbox.MIB).for_job(settings)
    base = runs.dir.resolve()
    # `--chapter=` keeps a title that starts with "-" a value
    args = (["concat", name] + [a for p in clips for a in ("--part", p.resolve().relative_to(base).as_posix())]
            + [f"--chapter={t}" for t in chapters])
    messages, errors = _run_one(runs, job, args, limits, cancel)
    video = next((runs.resolve(m["path"]) for m in messages if m["event"] == "video"), None)
    marks = next((m.get("chapters") for m in messages if m["event"] == "chapters"), None) or []
    if not errors and video is None:
        errors = [CodeError(RENDER, NO_JOINED_VIDEO, kind="Concat")]
    return video, [m for m in marks if isinstance(m, dict)], errors


def _narrate(runs: RunTarget, job: Job, video: Path, final: Path, cues: list[dict], limits: sandbox.Limits,
             cancel: Optional[threading.Event], settings: config.Settings,
             done: Optional[dict] = None) -> Optional[speech.Captions]:
    """The final video with its narration, muxed in the sandbox (the rendered video is the scene's output:
    the app never parses it), and captions beside it: `done`, what the render or join run reported of
    muxing it in itself, else by a mux run of its own. On any failure the video is kept as rendered
    (silent) and the log says why. None: nothing to narrate (the video is not copied then)."""
    t = time.monotonic()
    if done is not None and done.get("event") == "mux_failed":
        job.log(f"narration: the render could not mux it in ({done.get('message')}); muxing in a run of its own")
    elif done is not None and (muxed := runs.resolve(str(done.get("path", "")))) is not None:
        sandbox_fs.copy(muxed, final, beneath=runs.dir)
        narrated = speech.finish(final, speech.MuxJob(["render"], [], speech.cues_of(cues)), done)  # a run muxed
        job.log(f"narration: {len(narrated.cues)} caption(s); audio {narrated.how}, muxed in by the render "
                f"({time.monotonic() - t:.2f} s)")
        return narrated
    base = runs.dir.resolve()
    staged = speech.stage(video.relative_to(base).as_posix(), f"{NARRATED_DIR}/{final.name}", cues, job.dir,
                          settings)
    if staged is None:
        return None
    report: Optional[dict] = None
    error = ""
    if staged.args:
        runs.sync_in(staged.files)
        messages, errors = _run_one(runs, job, staged.args, limits, cancel)
        report = next((m for m in messages if m["event"] == "muxed"), None)
        muxed = runs.resolve(str(report.get("path", ""))) if report and not errors else None
        if errors or muxed is None:
            report, error = None, errors[0].message if errors else speech.MUX_NO_REPORT
        else:
            video = muxed
    if video != final:
        sandbox_fs.copy(video, final, beneath=runs.dir)
    narrated = speech.finish(final, staged, report, error)
    job.log(f"narration: {len(narrated.cues)} caption(s); audio {narrated.how} ({time.monotonic() - t:.2f} s)")
    return narrated


def _merge_logs(job: Job, logs: list[Path]) -> None:
    """Each chunk's log into the job's: head and tail only, never through a link (a cold chunk could
    have written its log file itself, of any size)."""
    for i, p in enumerate(logs):
        if p != job.log_file and p.exists():
            sandbox_fs.copy_log(p, job.log_file, f"-- chunk {i} --")
            p.unlink()


def _dedupe(errors: list[CodeError]) -> list[CodeError]:
    """Chunks fail alike (each runs all of construct): report each distinct error once."""
    seen, out = set(), []
    for e in errors:
        key = (e.stage, e.message, e.line)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
