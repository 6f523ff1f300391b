"""validate: policy, then the scene graph run in the sandbox without writing frames, then layout.

Running `construct` with every animation skipped (Manim's last-frame mode) catches runtime errors in
seconds, counts the animations (progress, parallel chunks), times them (chunk balance), saves the
last frame (the preview the UI shows first) and lets the runner check the final layout.
"""
from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from . import config, manim_api, policy, sandbox, scenes
from .events import LAYOUT, VALIDATE, Artifact, CodeError, Failed, Finished, Fix, Progress
from .jobs import Job


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
             cancel: Optional[threading.Event] = None) -> Iterator:
    settings = settings or config.load()
    start = time.monotonic()
    name, note, errors = precheck(code, job, scene)
    if errors:
        yield from fail(errors, note=note)
        return
    limits = sandbox.Limits.for_quality("l", settings.render_timeout, settings.job_disk_mb * sandbox.MIB)
    out = job.dir / "media" / "validate"
    args = ["validate", str(job.scene_file), "--scene", name, "--out", str(out), "--cache", str(cache_dir(job))]
    job.log(f"== validate {name} ==")
    durations: dict[int, float] = {}
    done, preview, result = {}, None, None
    for _, msg in sandbox.stream(job.dir, [args], limits, [job.log_file], cancel):
        if isinstance(msg, sandbox.RunResult):
            result = msg
        elif msg["event"] == "played" and isinstance(msg.get("index"), int) and msg["index"] < MAX_ANIMATIONS:
            durations[msg["index"]] = _number(msg.get("seconds"))
            yield Progress(VALIDATE, msg["index"] + 1, 0)
        elif msg["event"] == "preview":
            preview = inside_job(job, msg["path"])
        elif msg["event"] == "done":
            done = msg
    errors = [manim_api.explain(e) for e in sandbox.errors_of(result, VALIDATE, limits, job.log_file)]
    if errors:
        yield from fail(errors, scene=name, note=note, seconds=time.monotonic() - start)
        return
    if preview:
        preview = Path(shutil.copyfile(preview, job.dir / "preview.png"))
        yield Artifact("preview", preview)
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
                                   preview=preview, seconds=time.monotonic() - start, fixes=shim_fixes(done)))


def shim_fixes(done: dict) -> list[Fix]:
    """The runner's report of what scene_shims did, as fixes shown like sanitize's (shapes checked: the
    scene shares the runner's stdout)."""
    notes = done.get("shims") if isinstance(done.get("shims"), list) else []
    return [Fix(str(n.get("what", ""))[:300], n.get("line") if isinstance(n.get("line"), int) else None)
            if isinstance(n, dict) else Fix(str(n)[:300]) for n in notes[:50]]


def cache_dir(job: Job) -> Path:
    return job.dir / "media" / "cache"


def _shipped(job: Job) -> list[str]:
    return policy.shipped_files(job.dir)


def inside_job(job: Job, path: str) -> Optional[Path]:
    """Only trust paths the runner reports when they are inside the job (scene code can print anything)."""
    p = Path(path).resolve()
    return p if p.is_relative_to(job.dir) and p.is_file() else None


def _number(value) -> float:
    """A number the runner reported, within sane bounds (0 when it is not one)."""
    return min(max(float(value), 0.0), 1e6) if isinstance(value, (int, float)) else 0.0


def _source(code: str, line: Optional[int]) -> str:
    lines = code.splitlines()
    return lines[line - 1].strip() if line and 0 < line <= len(lines) else ""
