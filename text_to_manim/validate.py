"""validate: policy, then the scene graph run in the sandbox without writing frames, then layout.

Running `construct` with every animation skipped (Manim's last-frame mode, and no frame drawn until the
last one) catches runtime errors in seconds, counts the animations (progress, parallel chunks), times
them (chunk balance), saves the last frame (the preview, shown as soon as it exists) and lets the runner
check the final layout. Its time budget grows with the scene: it may run as long as it keeps making
progress (VALIDATE_STALL_SECONDS without any is an endless loop), up to T2M_RENDER_TIMEOUT.
"""
from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Optional

from . import config, policy, sandbox, scenes, workers
from .events import LAYOUT, VALIDATE, Artifact, CodeError, Failed, Finished, Progress
from .jobs import SCENE_FILE, Job

# Runner arguments are relative to the run's folder (the job folder, or a warm worker's slot).
CACHE = "media/cache"  # the job's private TeX/text cache, shared by its runs
VALIDATE_STALL_SECONDS = 60.0


@dataclass
class ValidateOutcome:
    ok: bool
    errors: list = field(default_factory=list)  # list[CodeError]
    warnings: list = field(default_factory=list)  # layout problems, list[CodeError]
    scene: Optional[str] = None
    note: str = ""  # e.g. which of several scenes was chosen
    animations: int = 0
    durations: list = field(default_factory=list)  # seconds of video per animation
    preview: Optional[Path] = None
    seconds: float = 0.0
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
    limits = replace(sandbox.Limits.for_quality("l", settings.render_timeout), stall_seconds=VALIDATE_STALL_SECONDS)
    args = ["validate", SCENE_FILE, "--scene", name, "--out", "media/validate", "--cache", CACHE]
    job.log(f"== validate {name} ==")
    durations: dict[int, float] = {}
    done, preview, result = {}, None, None
    for _, msg in runs.stream([args], limits, [job.log_file], cancel):
        if isinstance(msg, sandbox.RunResult):
            result = msg
        elif msg["event"] == "played":
            durations[msg["index"]] = msg["seconds"]
            yield Progress(VALIDATE, msg["index"] + 1, 0)
        elif msg["event"] == "preview" and preview is None:
            found = runs.resolve(msg["path"])
            if found:  # shown now, while the runner still checks the layout
                preview = Path(shutil.copyfile(found, job.dir / "preview.png"))
                yield Artifact("preview", preview)
        elif msg["event"] == "done":
            done = msg
    errors = sandbox.errors_of(result, VALIDATE, limits, job.log_file)
    sources = [m for msg in (result.messages if result else []) if msg.get("event") == "done"
               for m in msg.get("tex_sources", [])]
    if errors:
        yield from fail(errors, scene=name, note=note, seconds=time.monotonic() - start, tex_sources=sources)
        return
    warnings = [CodeError(LAYOUT, w["message"], w.get("line"), w.get("kind", ""), _source(code, w.get("line")))
                for w in done.get("warnings", [])]
    yield Finished(ValidateOutcome(ok=True, warnings=warnings, scene=done.get("scene", name), note=note,
                                   animations=int(done.get("animations", 0)),
                                   durations=[durations.get(i, 0.0) for i in range(int(done.get("animations", 0)))],
                                   preview=preview, seconds=time.monotonic() - start, tex=done.get("tex", {}),
                                   tex_sources=done.get("tex_sources", []),
                                   cpu_seconds=float(done.get("cpu_seconds", 0.0))))


def inputs(job: Job) -> list[Path]:
    """What a run needs from the job folder: the code and the files it ships."""
    return [job.scene_file] + [job.dir / name for name in _shipped(job)]


def _shipped(job: Job) -> list[str]:
    """Image files the job folder ships, which ImageMobject/SVGMobject may use."""
    exts = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".bmp"}
    return [p.name for p in job.dir.iterdir() if p.suffix.lower() in exts and p.name != "preview.png"]


def _source(code: str, line: Optional[int]) -> str:
    lines = code.splitlines()
    return lines[line - 1].strip() if line and 0 < line <= len(lines) else ""
