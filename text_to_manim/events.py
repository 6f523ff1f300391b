"""The one event stream every front end (Gradio app, CLI, tests) consumes.

Stages yield these; `pipeline.run` re-yields them in order. Frozen dataclasses so a consumer
can keep them around (history, UI state) without them changing under it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

# Stage names, shared by UI bubbles, CLI progress and timings.
ANCHOR = "anchor"
GENERATE = "generate"
EXTRACT = "extract"
SANITIZE = "sanitize"
POLICY = "policy"
VALIDATE = "validate"
LAYOUT = "layout"
RENDER = "render"
NOTES = "notes"
REPAIR = "repair"
ERROR_REPAIR = "error_repair"  # repair driven by the error, no model (fixes/from_error.py)


@dataclass(frozen=True)
class CodeError:
    """A failure the user (or the model, in a repair round) can act on."""

    stage: str
    message: str
    line: Optional[int] = None
    kind: str = ""  # exception type or rule name, e.g. "NameError", "forbidden-import"
    source_line: str = ""  # the offending line of the scene, when known

    def as_dict(self) -> dict:
        return asdict(self)

    def short(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        kind = f"{self.kind}: " if self.kind else ""
        return f"[{self.stage}] {where}{kind}{self.message}"


@dataclass(frozen=True)
class Fix:
    """One deterministic change made by sanitize (or policy --fix)."""

    what: str
    line: Optional[int] = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class StageStarted:
    stage: str
    detail: str = ""


@dataclass(frozen=True)
class ReasoningDelta:
    text: str


@dataclass(frozen=True)
class TextDelta:
    """A piece of a provider's answer (code and notes together, split later by `extract.LiveSplitter`)."""

    text: str


@dataclass(frozen=True)
class Retrying:
    """A provider's attempt failed and another follows after `wait` seconds."""

    attempt: int  # the attempt that failed, 1-based
    attempts: int
    wait: float
    reason: str

    def message(self) -> str:
        return (f"{self.reason}; retrying in {self.wait:.1f} s "
                f"(attempt {self.attempt + 1} of {self.attempts})")


# What a provider's `stream` yields (generate/providers.py, `Provider`).
Delta = Union[ReasoningDelta, TextDelta, Retrying]


@dataclass(frozen=True)
class CodeDelta:
    text: str


@dataclass(frozen=True)
class NotesDelta:
    text: str


@dataclass(frozen=True)
class StageFinished:
    stage: str
    seconds: float
    detail: str = ""


@dataclass(frozen=True)
class Progress:
    stage: str
    done: int
    total: int


@dataclass(frozen=True)
class Artifact:
    kind: str  # "video", "image" (a still), "preview", "code", "log", "notes_md", "notes_tex", "notes_pdf"
    path: Path


@dataclass(frozen=True)
class Failed:
    stage: str
    message: str
    line: Optional[int] = None
    error: Optional[CodeError] = None


@dataclass
class JobResult:
    """What a job produced; `as_json` is the CLI's `--json` contract."""

    ok: bool = False
    job_dir: Optional[Path] = None
    video: Optional[Path] = None
    image: Optional[Path] = None  # the still PNG of a scene that never animates (then there is no video)
    preview: Optional[Path] = None
    code: Optional[Path] = None
    log: Optional[Path] = None
    notes_md: Optional[Path] = None
    notes_tex: Optional[Path] = None
    notes_pdf: Optional[Path] = None
    errors: list = field(default_factory=list)  # list[CodeError]
    fixes: list = field(default_factory=list)  # list[Fix]
    timings: dict = field(default_factory=dict)  # stage -> seconds
    extra: dict = field(default_factory=dict)  # stage-specific facts (animations, scene name ...)

    def as_json(self) -> dict[str, Any]:
        def p(v):
            return str(v) if v is not None else None

        return {
            "ok": self.ok,
            "job_dir": p(self.job_dir),
            "video": p(self.video),
            "image": p(self.image),
            "preview": p(self.preview),
            "code": p(self.code),
            "log": p(self.log),
            "notes_md": p(self.notes_md),
            "notes_tex": p(self.notes_tex),
            "notes_pdf": p(self.notes_pdf),
            "errors": [e.as_dict() for e in self.errors],
            "fixes": [f.as_dict() for f in self.fixes],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            **{k: v for k, v in self.extra.items() if isinstance(v, (str, int, float, bool, type(None), list, dict))},
        }


@dataclass(frozen=True)
class Finished:
    result: Any  # JobResult for pipeline/render; a stage outcome object for inner stages


def relay(events):
    """Re-yield a stage's events and return its Finished result: `outcome = yield from relay(stage(...))`."""
    for ev in events:
        if isinstance(ev, Finished):
            return ev.result
        yield ev
    return None


Event = Union[
    StageStarted, ReasoningDelta, CodeDelta, NotesDelta, StageFinished, Progress, Artifact, Failed, Finished
]
