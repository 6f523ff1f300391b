"""validate: policy, then the scene graph run in the sandbox without writing frames, then layout.

Running `construct` with every animation skipped (Manim's last-frame mode, and no frame drawn until the
last one) catches runtime errors in seconds, counts the animations (progress, parallel chunks), times
them (chunk balance), saves the last frame (the preview, shown as soon as it exists) and lets the runner
check the final layout. Its time budget grows with the scene: it may run as long as it keeps making
progress (VALIDATE_STALL_SECONDS without any is an endless loop), up to T2M_RENDER_TIMEOUT.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Optional

from text_to_manim import config
from text_to_manim.speech import narration as speech
from text_to_manim.fixes import manim_api
from text_to_manim.scene import policy, classes as scenes
from text_to_manim.sandbox import walls as sandbox, fs as sandbox_fs, workers
from text_to_manim.events import LAYOUT, VALIDATE, Artifact, CodeError, Failed, Finished, Fix, Progress
from text_to_manim.jobs import SCENE_FILE, Job

# Runner arguments are relative to the run's folder (the job folder, or a warm worker's slot).
CACHE = "media/cache"  # the job's private TeX/text cache, shared by its runs
VALIDATE_STALL_SECONDS = 60.0


MAX_ANIMATIONS = 100_000


@dataclass
class ValidateOutcome:
    ok: bool
    errors: list = field(default_factory=list)  # list[CodeError]
    warnings: list = field(default_factory=list)  # layout problems, list[CodeError]
    layout: list = field(default_factory=list)  # the runner's layout facts (sizes, fitting factors) for layout.py
    scene: Optional[str] = None
    note: str = ""  # e.g. which of several scenes was chosen
    animations: int = 0
    durations: list = field(default_factory=list)  # seconds of video per animation
    preview: Optional[Path] = None
    seconds: float = 0.0
    fixes: list = field(default_factory=list)  # what the run-time shims did, list[Fix]
    tex: dict = field(default_factory=dict)  # formulas from the shared cache, the private one, compiled
    tex_sources: list = field(default_factory=list)  # TeX documents compiled privately (run-time formulas)
    cpu_seconds: float = 0.0  # the run's own CPU time, with its TeX processes (a warm run's starts at 0)


def fail(errors: list[CodeError], outcome_cls=ValidateOutcome, **extra) -> Iterator:
    for e in errors:
        yield Failed(e.stage, e.message, e.line, e)
    yield Finished(outcome_cls(ok=False, errors=errors, **extra))


def precheck(code: str, job: Job, scene: Optional[str]) -> tuple[Optional[str], str, list[CodeError]]:
    """Policy + scene choice, shared by validate and render: (scene, note, errors)."""
    errors = policy.check(code, _shipped(job))
    if errors:
        return None, "", errors
    name, note = scenes.choose(code, scene)
    if name is None:
        return None, "", [CodeError(VALIDATE, note, kind="no-scene")]
    if not job.scene_file.exists() or job.scene_file.read_text(encoding="utf-8") != code:
        job.write_code(code)
    return name, note, []


def validate(code: str, job: Job, *, scene: Optional[str] = None, settings: Optional[config.Settings] = None,
             cancel: Optional[threading.Event] = None, runs=None) -> Iterator:
    """`runs`: where the runs go (a leased warm worker); by default cold processes in the job folder."""
    settings = settings or config.load()
    start = time.monotonic()
    name, note, errors = precheck(code, job, scene)
    if errors:
        yield from fail(errors, note=note)
        return
    runs = runs or workers.runs_for(job.dir, settings, None)
    runs.sync_in(inputs(job))
    limits = replace(sandbox.Limits.for_quality("l", settings.render_timeout,
                                                settings.job_disk_mb * sandbox.MIB).for_job(settings),
                     stall_seconds=VALIDATE_STALL_SECONDS)
    args = ["validate", SCENE_FILE, "--scene", name, "--out", "media/validate", "--cache", CACHE]
    job.log(f"== validate {name} ==")
    durations: dict[int, float] = {}
    done, preview, result = {}, None, None
    for _, msg in runs.stream([args], limits, [job.log_file], cancel):
        if isinstance(msg, sandbox.RunResult):
            result = msg
        elif msg["event"] == "played" and isinstance(msg.get("index"), int) and msg["index"] < MAX_ANIMATIONS:
            durations[msg["index"]] = _number(msg.get("seconds"))
            yield Progress(VALIDATE, msg["index"] + 1, 0)
        elif msg["event"] == "preview" and preview is None:
            found = runs.resolve(msg["path"])
            if found:  # shown now, while the runner still checks the layout
                preview = sandbox_fs.copy(found, job.dir / "preview.png", beneath=runs.dir)  # the run goes on
                yield Artifact("preview", preview)
        elif msg["event"] == "done":
            done = msg
    errors = [manim_api.explain(e) for e in sandbox.errors_of(result, VALIDATE, limits, job.log_file)]
    sources = next((_sources(m) for m in (result.messages if result else []) if m.get("event") == "done"), [])
    if errors:
        # animations: how far the scene got (error-driven repair keeps a change only if it gets further)
        played = len(durations)
        yield from fail(errors, scene=name, note=note, seconds=time.monotonic() - start, tex_sources=sources,
                        animations=played, durations=[durations.get(i, 0.0) for i in range(played)])
        return
    # the scene shares the runner's stdout and can print protocol lines: trust no shape or count blindly
    listed = done.get("warnings") if isinstance(done.get("warnings"), list) else []
    facts = [w for w in listed if isinstance(w, dict) and isinstance(w.get("message"), str)
             and isinstance(w.get("line"), (int, type(None)))]
    warnings = [CodeError(LAYOUT, w["message"], w.get("line"), w.get("kind", ""), _source(code, w.get("line")))
                for w in facts]
    animations = min(int(_number(done.get("animations"))), len(durations))
    yield Finished(ValidateOutcome(ok=True, warnings=warnings, layout=facts,
                                   scene=done.get("scene", name), note=note,
                                   animations=animations, durations=[durations.get(i, 0.0) for i in range(animations)],
                                   preview=preview, seconds=time.monotonic() - start, fixes=shim_fixes(done),
                                   tex=_tex_counts(done), tex_sources=_sources(done),
                                   cpu_seconds=_number(done.get("cpu_seconds"))))



def shim_fixes(done: dict) -> list[Fix]:
    """The runner's report of what scene_shims did, as fixes shown like sanitize's (shapes checked: the
    scene shares the runner's stdout)."""
    notes = done.get("shims") if isinstance(done.get("shims"), list) else []
    return [Fix(str(n.get("what", ""))[:300], n.get("line") if isinstance(n.get("line"), int) else None)
            if isinstance(n, dict) else Fix(str(n)[:300]) for n in notes[:50]]


def inputs(job: Job) -> list[Path]:
    """What a run needs from the job folder: the code and the files it ships."""
    return [job.scene_file] + [job.dir / name for name in _shipped(job)] + speech.files(job.dir)


def _shipped(job: Job) -> list[str]:
    return policy.shipped_files(job.dir)


def _number(value) -> float:
    """A number the runner reported, within sane bounds (0 when it is not one)."""
    return min(max(float(value), 0.0), 1e6) if isinstance(value, (int, float)) else 0.0


def _tex_counts(done: dict) -> dict:
    counts = done.get("tex") if isinstance(done.get("tex"), dict) else {}
    return {k: int(_number(counts.get(k))) for k in ("shared", "private", "compiled")}


def _sources(done: dict) -> list:
    """The TeX documents the run compiled privately (any text: the trusted step compiles them afresh)."""
    listed = done.get("tex_sources") if isinstance(done.get("tex_sources"), list) else []
    return [s for s in listed if isinstance(s, str)]


def _source(code: str, line: Optional[int]) -> str:
    lines = code.splitlines()
    return lines[line - 1].strip() if line and 0 < line <= len(lines) else ""
