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
NARRATE = "narrate"  # narration written for a scene without voice-over (fixes/narrate.py)
ERROR_REPAIR = "error_repair"  # repair driven by the error, no model (fixes/from_error.py)
PLAN = "plan"  # a lesson's storyboard (pipeline/lesson.py)
STITCH = "stitch"  # a lesson's clips joined into one video with chapters
SCENE_STATES = ("planned", "writing", "validating", "rendering", "done", "replaced", "failed")


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


@dataclass(frozen=True)
class RoundSummary:
    """One round of a job (the first answer, or a repair): what failed where, what was fixed."""

    round: int
    errors: tuple[CodeError, ...] = ()
    fixes: tuple[Fix, ...] = ()
    failed_stage: str = ""
    code: Optional[str] = None  # the round's code file (roundN.py) in the job folder, when it had code

    def as_dict(self) -> dict[str, Any]:
        return {"round": self.round, "errors": [e.as_dict() for e in self.errors],
                "fixes": [f.as_dict() for f in self.fixes], "failed_stage": self.failed_stage, "code": self.code}


@dataclass(frozen=True)
class TexCounts:
    """Where the scene's formulas came from: the shared cache, the job's private one, compiled in the run;
    and how many the trusted step compiled for the shared cache before it ran."""

    shared: int = 0
    private: int = 0
    compiled: int = 0
    compiled_for_shared_cache: int = 0


@dataclass(frozen=True)
class PartialVideo:
    """A scene that still fails after some animations: the video holds those, and says what is missing."""

    animations: int  # played, and in the video
    failed_at: int  # the animation that fails (1-based)
    line: Optional[int]
    error: str


@dataclass
class JobResult:
    """What a job produced; `as_json` is the CLI's `--json` contract (result.json in the job folder)."""

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
    errors: list[CodeError] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    # the job
    job_id: str = ""
    provider: str = ""  # "openai", "offline", "gallery", "none" (code given)
    model: str = ""
    status: str = ""  # "ok", "failed", "cancelled" once finished
    message: str = ""  # why it failed ("" when ok)
    repair_rounds: int = 0
    rounds: list[RoundSummary] = field(default_factory=list)
    formulas: list[dict[str, Any]] = field(default_factory=list)  # the anchor's formulas and TeX's verdict
    warnings: list[CodeError] = field(default_factory=list)  # policy and layout warnings of the result's code
    first_reasoning: Optional[float] = None  # seconds to the first reasoning text
    # the scene (None until a stage knew it)
    scene: Optional[str] = None
    note: str = ""  # e.g. which of several scenes was chosen
    animations: Optional[int] = None
    chunks: Optional[list[list[int]]] = None  # the rendered animation ranges [first, last]
    warm: Optional[bool] = None  # its runs went to a warm worker
    tex: Optional[TexCounts] = None
    cached_from: Optional[str] = None  # the job whose result was reused (result cache)
    # where the code came from, without a model
    offline: Optional[str] = None  # the offline provider's match: "gallery", "formula" ...
    gallery: Optional[str] = None  # the gallery scene's slug
    params: Optional[list[str]] = None  # its parameters, "name=value"
    partial: Optional[PartialVideo] = None  # the video is partial (status "partial")
    lesson: Optional[LessonFacts] = None  # a lesson: its plan's title, chapters and clips
    captions: Optional[Path] = None  # the narration's captions, WebVTT (the player's) and SRT
    captions_srt: Optional[Path] = None

    def as_json(self) -> dict[str, Any]:
        def p(v: Optional[Path]) -> Optional[str]:
            return str(v) if v is not None else None

        optional = {"first_reasoning": self.first_reasoning, "scene": self.scene, "note": self.note or None,
                    "animations": self.animations, "chunks": self.chunks, "warm": self.warm,
                    "cached_from": self.cached_from, "offline": self.offline, "gallery": self.gallery,
                    "params": self.params, "partial": asdict(self.partial) if self.partial else None,
                    "lesson": self.lesson.as_json() if self.lesson else None,
                    "captions_vtt": p(self.captions), "captions_srt": p(self.captions_srt)}
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
            "job_id": self.job_id, "provider": self.provider, "model": self.model, "status": self.status,
            "message": self.message, "repair_rounds": self.repair_rounds,
            "rounds": [r.as_dict() for r in self.rounds], "formulas": self.formulas,
            "warnings": [w.as_dict() for w in self.warnings],
            **{k: v for k, v in optional.items() if v is not None},
        }


@dataclass(frozen=True)
class Finished:
    result: Any  # JobResult from pipeline.run; a stage's own outcome (ValidateOutcome ...) from a stage


def relay(events):
    """Re-yield a stage's events and return its Finished result: `outcome = yield from relay(stage(...))`."""
    for ev in events:
        if isinstance(ev, Finished):
            return ev.result
        yield ev
    return None


# -- lessons (pipeline/lesson.py) ----------------------------------------------------------------------
@dataclass(frozen=True)
class PlannedScene:
    """One scene of a lesson's storyboard, as the model (or the offline planner, or a person) wrote it."""

    title: str
    goal: str = ""
    on_screen: str = ""
    formulas: tuple[str, ...] = ()
    narration: str = ""
    seconds: float = 20.0
    gallery: str = ""  # offline lessons: the gallery scene that shows it ("" for a written scene)

    def as_json(self) -> dict[str, Any]:
        out = {"title": self.title, "goal": self.goal, "on_screen": self.on_screen,
               "formulas": list(self.formulas), "narration": self.narration, "seconds": self.seconds}
        if self.gallery:
            out["gallery"] = self.gallery
        return out


@dataclass(frozen=True)
class Storyboard:
    """A lesson's plan: saved as storyboard.json in the lesson's folder, editable, and rendered again from it."""

    title: str
    audience: str = ""
    scenes: tuple[PlannedScene, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "audience": self.audience, "scenes": [s.as_json() for s in self.scenes]}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Storyboard:
        """The plan from its JSON form; raises ValueError saying which field is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a storyboard is a JSON object with title, audience and scenes")
        scenes = data.get("scenes")
        if not isinstance(scenes, list):
            raise ValueError("the storyboard has no list of scenes")
        out = []
        for i, sc in enumerate(scenes, start=1):
            if not isinstance(sc, dict) or not str(sc.get("title") or "").strip():
                raise ValueError(f"scene {i} of the storyboard has no title")
            formulas = sc.get("formulas") or []
            if isinstance(formulas, str):
                formulas = [formulas]
            try:
                seconds = float(sc.get("seconds") or sc.get("duration") or 20)
            except (TypeError, ValueError):
                raise ValueError(f"scene {i}: seconds must be a number") from None
            out.append(PlannedScene(str(sc["title"]).strip(), str(sc.get("goal") or "").strip(),
                                    str(sc.get("on_screen") or "").strip(),
                                    tuple(str(f).strip() for f in formulas if str(f).strip()),
                                    str(sc.get("narration") or "").strip(), max(3.0, min(seconds, 120.0)),
                                    str(sc.get("gallery") or "")))
        return Storyboard(str(data.get("title") or "Lesson").strip(), str(data.get("audience") or "").strip(),
                          tuple(out))


@dataclass(frozen=True)
class LessonPlanned:
    """The storyboard is ready (written by the model, the offline planner, or given): scenes start now."""

    storyboard: Storyboard
    path: Optional[Path] = None  # storyboard.json in the lesson's folder


@dataclass(frozen=True)
class SceneState:
    """A lesson scene moved on: state is one of SCENE_STATES; detail says what it is doing or why."""

    index: int  # 1-based, as the chapters are numbered
    state: str
    detail: str = ""


@dataclass(frozen=True)
class SceneEvent:
    """An event of one lesson scene's own job (its reasoning, stages, failures), for a scene's bubble."""

    index: int
    event: Any


@dataclass(frozen=True)
class SceneClip:
    """A lesson scene's clip is rendered and playable (sent as soon as it is, before the others finish)."""

    index: int
    path: Path
    status: str  # "done" (its scene), "partial" (the animations before a failure), "replaced" (a title card)


@dataclass(frozen=True)
class Chapter:
    index: int
    title: str
    start: float  # seconds in the lesson's video
    end: float
    status: str  # "done", "partial", "replaced", "missing"
    clip: Optional[Path] = None
    job_dir: Optional[Path] = None  # the scene's own job folder (code, log, result.json)
    message: str = ""  # why a scene was replaced

    def as_json(self) -> dict[str, Any]:
        return {"index": self.index, "title": self.title, "start": round(self.start, 3), "end": round(self.end, 3),
                "status": self.status, "clip": str(self.clip) if self.clip else None,
                "job_dir": str(self.job_dir) if self.job_dir else None, "message": self.message}


@dataclass(frozen=True)
class LessonFacts:
    """A lesson's result: the JobResult's `lesson` key (`video` is the stitched lesson.mp4)."""

    title: str
    storyboard: Optional[Path]
    chapters: tuple[Chapter, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "storyboard": str(self.storyboard) if self.storyboard else None,
                "scenes": len(self.chapters), "replaced": sum(c.status == "replaced" for c in self.chapters),
                "chapters": [c.as_json() for c in self.chapters]}


Event = Union[
    StageStarted, ReasoningDelta, CodeDelta, NotesDelta, StageFinished, Progress, Artifact, Failed, Finished,
    LessonPlanned, SceneState, SceneEvent, SceneClip
]
