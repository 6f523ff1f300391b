"""validate: the gate (policy, scene choice) unless the code passed it, then the scene graph run in the
sandbox without writing frames, then layout.

Running `construct` with every animation skipped (Manim's last-frame mode, and no frame drawn until the
last one) catches runtime errors in seconds, counts the animations (progress, parallel chunks), times
them (chunk balance), saves the last frame (the preview, shown as soon as it exists) and lets the runner
check the final layout. Its time budget grows with the scene: it may run as long as it keeps making
progress (VALIDATE_STALL_SECONDS without any is an endless loop), up to T2M_RENDER_TIMEOUT.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from text_to_manim import config
from text_to_manim.events import LAYOUT, VALIDATE, Artifact, CodeError, Event, Failed, Finished, Fix, Progress
from text_to_manim.fixes import manim_api
from text_to_manim.jobs import SCENE_FILE, Job
from text_to_manim.sandbox import fs as sandbox_fs
from text_to_manim.sandbox import targets
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.sandbox.targets import RunTarget
from text_to_manim.scene import gate, policy
from text_to_manim.scene.gate import CheckedCode
from text_to_manim.speech import narration as speech

# Runner arguments are relative to the run's folder (the job folder, or a warm worker's slot).
CACHE = "media/cache"  # the job's private TeX/text cache, shared by its runs
VALIDATE_STALL_SECONDS = 60.0


MAX_ANIMATIONS = 100_000


@dataclass
class ValidateOutcome:
    ok: bool
    errors: list[CodeError] = field(default_factory=list)
    warnings: list[CodeError] = field(default_factory=list)  # layout problems
    layout: list[dict] = field(default_factory=list)  # the runner's layout facts (sizes, fitting factors) for layout.py
    scene: Optional[str] = None
    note: str = ""  # e.g. which of several scenes was chosen
    animations: int = 0
    durations: list[float] = field(default_factory=list)  # seconds of video per animation
    preview: Optional[Path] = None
    seconds: float = 0.0
    fixes: list[Fix] = field(default_factory=list)  # what the run-time shims did
    tex: dict[str, int] = field(default_factory=dict)  # formulas from the shared cache, the private one, compiled
    tex_sources: list[str] = field(default_factory=list)  # TeX documents compiled privately (run-time formulas)
    cpu_seconds: float = 0.0  # the run's own CPU time, with its TeX processes (a warm run's starts at 0)
    cues: list[dict] = field(default_factory=list)  # the voiceover blocks as timed (the render times them alike)


def fail(errors: list[CodeError], outcome_cls: type = ValidateOutcome, **extra: object) -> Iterator[Event]:
    for e in errors:
        yield Failed(e.stage, e.message, e.line, e)
    yield Finished(outcome_cls(ok=False, errors=errors, **extra))


def admit(code: str | CheckedCode, job: Job, scene: Optional[str]) -> tuple[Optional[CheckedCode], list[CodeError], str]:
    """The public guard of validate and render: raw code goes through the gate, checked code as it is (it
    is placed as the job's scene file again: a layout rewrite that was not kept may have replaced it).
    (checked code, errors, note on the scene choice)."""
    if isinstance(code, CheckedCode):
        gate.place(code.code, job)
        return code, [], code.note
    verdict = gate.check(code, job, scene)
    return verdict.checked, verdict.errors, verdict.note


def validate(code: str | CheckedCode, job: Job, *, scene: Optional[str] = None,
             settings: Optional[config.Settings] = None, cancel: Optional[threading.Event] = None,
             runs: Optional[RunTarget] = None) -> Iterator[Event]:
    """`code`: as the gate passed it (run as is) or raw (reviewed first). `runs`: where the runs go (a
    leased warm worker); by default `targets.choose` without a worker."""
    settings = settings or config.load()
    start = time.monotonic()
    checked, errors, note = admit(code, job, scene)
    if checked is None:
        yield from fail(errors, note=note)
        return
    name, text = checked.scene, checked.code
    runs = runs or targets.choose(job.dir, settings)
    runs.sync_in(inputs(job))
    limits = replace(sandbox.Limits.for_quality("l", settings.render_timeout,
                                                settings.job_disk_mb * sandbox.MIB).for_job(settings),
                     stall_seconds=VALIDATE_STALL_SECONDS)
    args = ["validate", SCENE_FILE, "--scene", name, "--out", "media/validate", "--cache", CACHE]
    job.log(f"== validate {name} ==")
    durations: dict[int, float] = {}
    done: dict = {}
    preview: Optional[Path] = None
    result: Optional[sandbox.RunResult] = None
    cues: list[dict] = []
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
        elif msg["event"] == "cue" and len(cues) < MAX_ANIMATIONS:
            cues.append(msg)
        elif msg["event"] == "done":
            done = msg
    assert result is not None  # a stream ends every run with its RunResult
    errors = [manim_api.explain(e) for e in sandbox.errors_of(result, VALIDATE, limits, job.log_file)]
    sources = next((_sources(m) for m in result.messages if m.get("event") == "done"), [])
    if errors:
        # animations: how far the scene got (error-driven repair keeps a change only if it gets further)
        played = len(durations)
        yield from fail(errors, scene=name, note=note, seconds=time.monotonic() - start, tex_sources=sources,
                        animations=played, durations=[durations.get(i, 0.0) for i in range(played)])
        return
    # the scene shares the runner's stdout and can print protocol lines: trust no shape or count blindly
    facts = [w for w in _listed(done, "warnings") if isinstance(w, dict) and isinstance(w.get("message"), str)
             and isinstance(w.get("line"), (int, type(None)))]
    warnings = [CodeError(LAYOUT, w["message"], w.get("line"), w.get("kind", ""), _source(text, w.get("line")))
                for w in facts]
    animations = min(int(_number(done.get("animations"))), len(durations))
    yield Finished(ValidateOutcome(ok=True, warnings=warnings, layout=facts,
                                   scene=done.get("scene", name), note=note,
                                   animations=animations, durations=[durations.get(i, 0.0) for i in range(animations)],
                                   preview=preview, seconds=time.monotonic() - start, fixes=shim_fixes(done),
                                   tex=_tex_counts(done), tex_sources=_sources(done),
                                   cpu_seconds=_number(done.get("cpu_seconds")), cues=cues))

def shim_fixes(done: dict) -> list[Fix]:
    """The runner's report of what scene_shims did, as fixes shown like sanitize's (shapes checked: the
    scene shares the runner's stdout)."""
    notes = _listed(done, "shims")
    return [Fix(str(n.get("what", ""))[:300], n.get("line") if isinstance(n.get("line"), int) else None)
            if isinstance(n, dict) else Fix(str(n)[:300]) for n in notes[:50]]


def inputs(job: Job) -> list[Path]:
    """What a run needs from the job folder: the code and the files it ships."""
    return [job.scene_file] + [job.dir / name for name in _shipped(job)] + speech.files(job.dir)


def _shipped(job: Job) -> list[str]:
    return policy.shipped_files(job.dir)


def _number(value: object) -> float:
    """A number the runner reported, within sane bounds (0 when it is not one)."""
    return min(max(float(value), 0.0), 1e6) if isinstance(value, (int, float)) else 0.0


def _listed(msg: dict, key: str) -> list:
    """A list the runner reported under `key` ([] when it is anything else)."""
    value = msg.get(key)
    return value if isinstance(value, list) else []


def _tex_counts(done: dict) -> dict[str, int]:
    value = done.get("tex")
    counts = value if isinstance(value, dict) else {}
    return {k: int(_number(counts.get(k))) for k in ("shared", "private", "compiled")}


def _sources(done: dict) -> list[str]:
    """The TeX documents the run compiled privately (any text: the trusted step compiles them afresh)."""
    return [s for s in _listed(done, "tex_sources") if isinstance(s, str)]


def _source(code: str, line: Optional[int]) -> str:
    lines = code.splitlines()
    return lines[line - 1].strip() if line and 0 < line <= len(lines) else ""
