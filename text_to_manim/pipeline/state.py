"""A job's request and its state while it runs: the rounds, timings, history row and the result.

The stages (`answers`, `notes_step`, `build`, `flows`) are functions of a `JobState`; `conductor.run` drives
them and turns the state into the `JobResult` at the end (`finish`).
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from text_to_manim import config
from text_to_manim.events import GENERATE, CodeError, Failed, Fix, JobResult, ReasoningDelta, RoundSummary
from text_to_manim.jobs import Job, new_job, open_job

if TYPE_CHECKING:  # only for annotations: a job that renders code only never loads them
    from text_to_manim.pipeline.notes import PdfBuild
    from text_to_manim.scene.gate import CheckedCode
    from text_to_manim.scene.validate import ValidateOutcome
    from text_to_manim.speech.narration import Prefetch
    from text_to_manim.store import Store
    from text_to_manim.tex.latex import TexResult


@dataclass
class Request:
    prompt: str = ""
    settings: config.Settings = field(default_factory=config.load)
    # Follow-ups ("make the dots red") refine this scene instead of starting afresh.
    previous_code: Optional[str] = None
    # "Render this code": skip the model, go straight to sanitize/validate/render.
    code: Optional[str] = None
    scene: Optional[str] = None
    # Gallery: render this curated scene with these parameters.
    gallery_slug: Optional[str] = None
    params: dict = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)
    # Ask the model for the key formulas first when the prompt has none (one short extra call).
    anchor: bool = True
    # Use this folder for the job's files instead of a new one under settings.jobs_dir.
    job_dir: Optional[Path] = None
    # With `code`: apply sanitize's fixes first (the app's "Render this code"); the CLI's `render
    # FILE.py` turns it off to render exactly what is in the file.
    sanitize: bool = True
    # Whose job it is in the history (a hash of the app visitor's session id); None for local CLI jobs.
    owner: Optional[str] = None
    # A row of its own in the history; a lesson's scenes have none (the lesson's row holds them).
    history: bool = True
    # Build notes.pdf in the background (a lesson's scenes do not: the lesson's notes have its PDF).
    notes_pdf: bool = True
    # What is said over the scene when it is narrated (a lesson scene's storyboard paragraph): spread over its
    # animation statements instead of texts from the model or the scene (pipeline/narrate_step.py).
    narration: str = ""


class Cancelled(Exception):
    """The user cancelled: the stages stop at the next check."""


@dataclass
class Round:
    n: int
    answer: str = ""
    code: str = ""
    fixes: list[Fix] = field(default_factory=list)
    errors: list[CodeError] = field(default_factory=list)
    failed_stage: str = ""
    seconds: float = 0.0
    warnings: list[CodeError] = field(default_factory=list)  # policy and layout warnings of this round's code
    checked: Optional[CheckedCode] = None  # the gate's pass for `code` (the one review of this version)
    layout: Optional[ValidateOutcome] = None  # when it validated but waits for a layout repair round
    partial: Optional[ValidateOutcome] = None  # its failed validation, when the scene played animations first

    def summary(self) -> RoundSummary:
        return RoundSummary(self.n, tuple(self.errors), tuple(self.fixes), self.failed_stage,
                            f"round{self.n}.py" if self.code else None)


def _warm_offline() -> None:
    """Import scikit-learn's TF-IDF while the job sets up (it takes seconds on a busy machine)."""
    try:
        import sklearn.feature_extraction.text  # noqa: F401
    except Exception:
        pass


class JobState:
    """The state of one run; the stage functions read and fill it."""

    def __init__(self, request: Request):
        self.req = request
        self.s = request.settings
        self.cancel = request.cancel
        self.t0 = time.monotonic()
        self.first_reasoning: Optional[float] = None
        self.job: Job = open_job(request.job_dir) if request.job_dir else new_job(self.s.jobs_dir)
        self.result = JobResult(job_dir=self.job.dir, log=self.job.log_file)
        self.timings: dict[str, float] = {}
        self.rounds: list[Round] = []
        self.formulas: list[TexResult] = []
        self.final: Optional[Round] = None  # the round whose result stands, when it is not the last one
        self.notes_md_text = ""
        self.pdf: Optional[PdfBuild] = None
        self.speech_prefetch: Optional[Prefetch] = None  # voiceover speech begun while the model writes
        self.status = "running"
        self.message = ""
        self.kind = "code" if request.code is not None else "gallery" if request.gallery_slug else "prompt"
        self.provider_name = {"code": "none", "gallery": "gallery"}.get(self.kind, self.s.provider)
        self.model = (self.s.model if self.provider_name == "openai" else
                      "offline-gallery" if self.provider_name == "offline" else "")
        self.current_stage = GENERATE
        self.store: Optional[Store] = None
        try:
            from text_to_manim.store import open_store

            self.store = open_store(self.s.db_path) if request.history else None
            if self.store is not None:
                self.store.start(self.job.id, prompt=request.prompt or (request.gallery_slug or "") or "(code)",
                                 provider=self.provider_name, model=self.model, settings_public=self.s.public(),
                                 job_dir=str(self.job.dir), kind=self.kind, gallery_slug=request.gallery_slug,
                                 owner=request.owner)
        except Exception as exc:  # history must never stop a render
            self.job.log(f"history unavailable: {exc!r}")
            self.store = None
        if self.provider_name == "offline":
            threading.Thread(target=_warm_offline, daemon=True).start()
        (self.job.dir / "request.json").write_text(json.dumps({
            "prompt": request.prompt, "kind": self.kind, "gallery_slug": request.gallery_slug,
            "params": request.params, "scene": request.scene, "settings": self.s.public(),
            "previous_code": bool(request.previous_code)}, indent=2, default=str), encoding="utf-8")

    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    def reasoning(self, ev: ReasoningDelta) -> ReasoningDelta:
        if self.first_reasoning is None and ev.text.strip():
            self.first_reasoning = time.monotonic() - self.t0
        return ev

    def fail(self, stage: str, message: str, line: Optional[int] = None, kind: str = "") -> Failed:
        err = CodeError(stage, message, line, kind)
        return Failed(stage, message, line, err)

    def record_round(self, rnd: Round) -> None:
        self.rounds.append(rnd)
        if self.store:
            try:
                self.store.add_round(self.job.id, {
                    "round": rnd.n, "code": rnd.code, "answer": rnd.answer[-20000:],
                    "errors": [e.as_dict() for e in rnd.errors], "fixes": [f.as_dict() for f in rnd.fixes],
                    "failed_stage": rnd.failed_stage, "seconds": round(rnd.seconds, 3)})
            except Exception as exc:
                self.job.log(f"history: could not record round {rnd.n}: {exc!r}")

    def finish(self, status: Optional[str] = None) -> JobResult:
        r = self.result
        last = self.final or (self.rounds[-1] if self.rounds else None)
        r.ok = bool(last and not last.errors and (r.video or r.image)) and status is None
        r.errors = list(last.errors) if last else []
        r.fixes = list(last.fixes) if last else []
        self.timings["total"] = time.monotonic() - self.t0
        r.timings = dict(self.timings)
        r.job_id, r.provider, r.model = self.job.id, self.provider_name, self.model
        r.repair_rounds = max(0, len(self.rounds) - 1)
        r.rounds = [x.summary() for x in self.rounds]
        r.formulas = [f.as_dict() for f in self.formulas]
        r.warnings = list(last.warnings) if last else []
        if self.first_reasoning is not None:
            r.first_reasoning = round(self.first_reasoning, 4)
        self.status = status or ("ok" if r.ok else "partial" if r.partial and r.video else "failed")
        if not self.message and not r.ok:
            self.message = r.errors[0].short() if r.errors else self.status
        r.status = self.status
        r.message = self.message if not r.ok else ""
        try:
            (self.job.dir / "result.json").write_text(json.dumps(r.as_json(), indent=2), encoding="utf-8")
        except OSError:
            pass
        if self.store:
            try:
                self.store.finish(self.job.id, status=self.status, errors=[e.as_dict() for e in r.errors],
                                  fixes=[f.as_dict() for f in r.fixes], timings=r.timings,
                                  artifacts={k: str(v) for k, v in (("video", r.video), ("image", r.image),
                                                                    ("preview", r.preview),
                                                                    ("code", r.code), ("notes_md", r.notes_md),
                                                                    ("notes_tex", r.notes_tex),
                                                                    ("notes_pdf", r.notes_pdf), ("log", r.log),
                                                                    ("captions", r.captions),
                                                                    ("captions_srt", r.captions_srt))
                                             if v},
                                  message=self.message, final_code=last.code if last else "")
            except Exception as exc:
                self.job.log(f"history: could not finish the row: {exc!r}")
        return r


def warning_detail(warnings: list[CodeError], what: str = "") -> str:
    """'; 2 warning(s): line 7: …' for a stage's finishing line ('' when there are none)."""
    if not warnings:
        return ""
    return f"; {len(warnings)} {what}warning(s): " + "; ".join(
        (f"line {w.line}: " if w.line else "") + w.message for w in warnings[:3])
