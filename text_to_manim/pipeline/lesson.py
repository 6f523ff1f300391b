"""A lesson: a storyboard of scenes, each rendered as its own job in parallel, stitched into one video with a
chapter per scene, that never fails whole.

    plan (model stream, offline planner, a document, or an edited storyboard.json)
      -> scene 1 .. n, each a whole `conductor.run` job (generate, sanitize, gate, validate, error repair,
         model repair rounds, render) in `<lesson>/sceneNN/`, started as soon as its part of the streamed plan
         is complete; their model calls overlap, at most T2M_RENDER_CONCURRENCY of them are in the sandbox
         at once (`_Slots`: earlier scenes first)
         -> a scene with no video after its rounds (not even a partial one) becomes a title card: a trusted
            template of its storyboard text and formulas, rendered in the sandbox like any scene
      -> stitch: the clips joined in the sandbox without re-encoding, one mp4 chapter per scene (lesson.mp4)
      -> notes: one section per scene with its start time; .md, .tex, .pdf

Narrated (T2M_NARRATE, the app's "Narrate every scene", `--narrate`): each scene's job (its title card too)
speaks its storyboard `narration`, split into sentences over its animation statements (Request.narration ->
pipeline/narrate_step.py); the stitch keeps one audio track across the clips (silence for a clip that says
nothing) and the lesson's captions.vtt/.srt are each scene's cues moved to its chapter (`lesson_cues`), in
the notes as a transcript too.

Events: `StageStarted/Finished("plan")` with the plan's text as `TextDelta`s, `LessonPlanned(storyboard)`,
`SceneState(i, state)` as a scene moves on, `SceneEvent(i, event)` for every event of a scene's own job,
`SceneClip(i, path, status)` as soon as a scene's clip is rendered (scene 1 plays before the others end),
`StageStarted/Finished("stitch" | "notes")`, `Artifact`s, and `Finished(JobResult)` last, with `lesson`.

`redo(lesson_dir, i)` renders scene i again (a new prompt, or code given) and stitches again: the other
clips are the same files. The lesson's folder keeps `storyboard.json` (editable) and `lesson.json` (its
scenes' clips), and its history row the same (`store.lesson`).
"""
from __future__ import annotations

import json
import queue
import threading
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from text_to_manim import config
from text_to_manim.events import (
    ANCHOR,
    ERROR_REPAIR,
    EXTRACT,
    GENERATE,
    LAYOUT,
    NOTES,
    PLAN,
    POLICY,
    RENDER,
    REPAIR,
    SANITIZE,
    STITCH,
    VALIDATE,
    Artifact,
    Chapter,
    CodeError,
    Event,
    Failed,
    Finished,
    JobResult,
    LessonFacts,
    LessonPlanned,
    PlannedScene,
    ReasoningDelta,
    SceneClip,
    SceneEvent,
    SceneState,
    StageFinished,
    StageStarted,
    Storyboard,
    TextDelta,
)
from text_to_manim.generate import prompts, providers
from text_to_manim.generate.offline import formula_scene
from text_to_manim.generate.offline import lesson as offline_lesson
from text_to_manim.jobs import Job, new_job, open_job
from text_to_manim.pipeline import notes as notes_mod
from text_to_manim.pipeline import storyboard as boards
from text_to_manim.pipeline import transcript
from text_to_manim.pipeline.state import Request
from text_to_manim.sandbox import fs as sandbox_fs
from text_to_manim.speech import captions

if TYPE_CHECKING:
    from text_to_manim.store import Store

LESSON_FILE = "lesson.json"
VIDEO_NAME = "lesson.mp4"
PDF_WAIT_SECONDS = 120
MAX_CAPTIONS_BYTES = 1 << 20  # a scene's SRT read back for the lesson's captions
CANCELLED = "cancelled by the user"
NO_PLAN = "no storyboard: {error}"
NO_CLIPS = "no scene of the lesson could be rendered, not even as a title card; see each scene's log"
REPLACED = "scene {i} failed after its repair rounds ({error}); it is a title card in the lesson"
CARD_NOTE = "This scene could not be animated; it can be re-rendered on its own."
NOT_A_LESSON = "{path}: not a lesson folder (no storyboard.json and lesson.json in it)"
NO_SUCH_SCENE = "the lesson has scenes 1 to {n}; there is no scene {i}"
EMPTY_LESSON = "give a topic, a document (--from) or a storyboard"
STAGE_STATE = {GENERATE: "writing", REPAIR: "writing", ANCHOR: "writing", EXTRACT: "writing",
               SANITIZE: "validating", POLICY: "validating", VALIDATE: "validating", ERROR_REPAIR: "validating",
               LAYOUT: "validating", RENDER: "rendering"}


@dataclass
class LessonRequest:
    prompt: str = ""
    settings: config.Settings = field(default_factory=config.load)
    scenes: Optional[int] = None  # exactly this many scenes (3 to 8); else the plan's own number
    document: Optional[Path] = None  # a source document the plan follows (Markdown, LaTeX, plain text)
    storyboard: Optional[Storyboard] = None  # an already written (edited) plan: no planning
    cancel: threading.Event = field(default_factory=threading.Event)
    job_dir: Optional[Path] = None
    owner: Optional[str] = None


@dataclass
class SceneOutcome:
    """How one scene ended: its clip (its own video, a partial one, or a title card) and why."""

    index: int
    status: str  # "done", "partial", "replaced", "missing"
    clip: Optional[Path] = None
    job_dir: Optional[Path] = None  # the job folder the clip came from
    message: str = ""
    errors: list[CodeError] = field(default_factory=list)
    preview: Optional[Path] = None
    captions: Optional[Path] = None  # the clip's narration as SRT (written by the app beside the clip)

    def as_json(self) -> dict[str, Any]:
        return {"index": self.index, "status": self.status, "clip": str(self.clip) if self.clip else None,
                "job_dir": str(self.job_dir) if self.job_dir else None, "message": self.message,
                "errors": [e.as_dict() for e in self.errors], "preview": str(self.preview) if self.preview else None,
                "captions": str(self.captions) if self.captions else None}

    @staticmethod
    def from_json(d: dict[str, Any]) -> SceneOutcome:
        return SceneOutcome(int(d["index"]), str(d["status"]), Path(d["clip"]) if d.get("clip") else None,
                            Path(d["job_dir"]) if d.get("job_dir") else None, str(d.get("message") or ""),
                            [CodeError(**e) for e in d.get("errors") or [] if isinstance(e, dict)],
                            Path(d["preview"]) if d.get("preview") else None,
                            Path(d["captions"]) if d.get("captions") else None)


@dataclass
class _Done:
    """A scene's thread is finished (the queue's last item for it)."""

    outcome: SceneOutcome


class Lesson:
    """The state of one lesson while it runs (or is redone): its folder, plan, scenes, history row."""

    def __init__(self, job: Job, settings: config.Settings, cancel: threading.Event, prompt: str = ""):
        self.job, self.cancel, self.prompt = job, cancel, prompt
        # mp4 only: the clips are joined by the concat demuxer (webm/gif clips would need a re-encode)
        self.s = settings.with_(format="mp4")
        self.t0 = time.monotonic()
        self.timings: dict[str, float] = {}
        self.board = Storyboard("Lesson")
        self.outcomes: dict[int, SceneOutcome] = {}
        self.errors: list[CodeError] = []
        self.message = ""
        self.store: Optional[Store] = None
        self.provider_name = settings.provider
        self.model = settings.model if settings.provider == "openai" else "offline-gallery"
        self.captions: Optional[tuple[Path, Path]] = None  # the lesson's WebVTT and SRT, one across its scenes
        self.cues: list[captions.Cue] = []

    # -- history ----------------------------------------------------------------------------------------
    def open_history(self, owner: Optional[str], new: bool = True) -> None:
        try:
            from text_to_manim.store import open_store

            self.store = open_store(self.s.db_path)
            if new:
                self.store.start(self.job.id, prompt=self.prompt or "(lesson)", provider=self.provider_name,
                                 model=self.model, settings_public=self.s.public(), job_dir=str(self.job.dir),
                                 kind="lesson", owner=owner)
        except Exception as exc:  # history must never stop a lesson
            self.job.log(f"history unavailable: {exc!r}")
            self.store = None

    def save(self, video: Optional[Path] = None, chapters: tuple[Chapter, ...] = ()) -> None:
        """lesson.json (what `redo` and reopening read) and the history row's copy of it."""
        facts = {"storyboard": self.board.as_json(), "prompt": self.prompt, "quality": self.s.quality,
                 "scenes": [o.as_json() for _, o in sorted(self.outcomes.items())],
                 "chapters": [c.as_json() for c in chapters], "video": str(video) if video else None}
        (self.job.dir / LESSON_FILE).write_text(json.dumps(facts, indent=2), encoding="utf-8")
        if self.store:
            try:
                self.store.set_lesson(self.job.id, facts)
            except Exception as exc:
                self.job.log(f"history: could not record the lesson: {exc!r}")

    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds


# ------------------------------------------------------------------------------------------------ run
def run(req: LessonRequest) -> Iterator[Event]:
    """The whole lesson as events, ending with Finished(JobResult) whose `lesson` holds its chapters."""
    job = open_job(req.job_dir) if req.job_dir else new_job(req.settings.jobs_dir, "lesson")
    lesson = Lesson(job, req.settings, req.cancel, req.prompt)
    lesson.open_history(req.owner)
    status: Optional[str] = None
    video: Optional[Path] = None
    chapters: tuple[Chapter, ...] = ()
    pdf: Optional[notes_mod.PdfBuild] = None
    runner = _Scenes(lesson)
    try:
        board = req.storyboard or (yield from _plan(lesson, req, runner))
        if board is not None:
            lesson.board = board
            path = boards.save(board, job.dir)
            lesson.save()
            yield Artifact("storyboard", path)
            yield LessonPlanned(board, path)
            for i, sc in enumerate(board.scenes, start=1):
                if i not in runner.started:
                    yield from runner.start(_Ask(i, sc, f"scene{i:02d}", len(board.scenes)))
            yield from runner.poll(wait=True)
            video, chapters, pdf = yield from _assemble(lesson)
    except _Cancelled:
        status = "cancelled"
        lesson.message = CANCELLED
        yield Failed("cancel", CANCELLED)
    except GeneratorExit:
        lesson.cancel.set()
        _finish(lesson, video, chapters, None, "cancelled")
        raise
    except Exception as exc:  # a bug: the lesson still ends with a result, the traceback in its log
        job.log("internal error:\n" + traceback.format_exc())
        err = CodeError("lesson", f"internal error: {exc!r} (see {job.log_file})", kind=type(exc).__name__)
        lesson.errors.append(err)
        lesson.message = err.message
        yield Failed("lesson", err.message, None, err)
    finally:
        runner.close()
    yield Finished(_finish(lesson, video, chapters, pdf, status))


class _Cancelled(Exception):
    pass


def _plan(lesson: Lesson, req: LessonRequest, runner: _Scenes):
    """The storyboard: from the offline planner, or streamed from the model (one retry on a bad plan, when no
    scene has started yet); a streamed scene's job starts as soon as its part of the plan is complete."""
    t = time.monotonic()
    offline = lesson.s.provider == "offline"
    yield StageStarted(PLAN, "offline: gallery scenes and formula scenes (no model)" if offline else
                       f"{providers.provider_label(lesson.s)}, model {lesson.s.model}: the storyboard")
    board: Optional[Storyboard] = None
    error = ""
    try:
        n = boards.clamp_scenes(req.scenes)
        doc = boards.read_document(req.document) if req.document else None
        if not (req.prompt or "").strip() and doc is None:
            raise boards.StoryboardError(EMPTY_LESSON)
        if offline:
            board = offline_lesson.plan_document(doc, n) if doc else offline_lesson.plan(req.prompt, n)
            yield ReasoningDelta(f"Offline lesson, no model: {len(board.scenes)} scene(s) from "
                                 + ("the document's sections.\n" if doc else "the gallery and the formulas.\n"))
            yield TextDelta(json.dumps(board.as_json(), indent=2, ensure_ascii=False))
        else:
            board = yield from _model_plan(lesson, runner, req.prompt, n, doc.summary() if doc else "")
        if board is not None:
            board = boards.check(board, n)
    except (boards.StoryboardError, ValueError, providers.ProviderError) as exc:
        board, error = None, str(exc)
    secs = time.monotonic() - t
    lesson.add_time(PLAN, secs)
    if board is None:
        lesson.message = NO_PLAN.format(error=error)
        err = CodeError(PLAN, lesson.message, kind="Storyboard")
        lesson.errors.append(err)
        yield Failed(PLAN, lesson.message, None, err)
        yield StageFinished(PLAN, secs, "no storyboard")
        return None
    yield StageFinished(PLAN, secs, f"{board.title}: {len(board.scenes)} scene(s)")
    return board


def _model_plan(lesson: Lesson, runner: _Scenes, prompt: str, n: Optional[int], document: str):
    provider = providers.get(lesson.s)
    messages = prompts.storyboard(prompt, n, document)
    for attempt in range(2):
        text = ""
        try:
            for d in provider.stream(messages, lesson.cancel):
                if isinstance(d, TextDelta):
                    text += d.text
                    yield d
                    if "}" in d.text and not attempt:
                        yield from _start_streamed(lesson, runner, text, n)
                elif isinstance(d, ReasoningDelta):
                    yield d
                else:
                    yield Failed(PLAN, d.message())
                yield from runner.poll(wait=False)
        except providers.Cancelled:
            raise _Cancelled() from None
        except providers.StreamCut as cut:
            text = cut.text or text
        (lesson.job.dir / f"storyboard{attempt}.md").write_text(text, encoding="utf-8")
        try:
            return boards.check(boards.parse(text), n)
        except boards.StoryboardError as exc:
            if attempt or runner.started:  # scenes of this plan already run: no other plan replaces it
                raise
            yield Failed(PLAN, f"{exc}; asking again", None, CodeError(PLAN, str(exc), kind="Storyboard"))
            messages = prompts.storyboard_repair(messages, text, str(exc))
    return None


def _start_streamed(lesson: Lesson, runner: _Scenes, text: str, n: Optional[int]) -> Iterator[Event]:
    """Start the jobs of the scenes whose part of the plan has streamed completely (at most `n`, or 8)."""
    title, audience = boards.streamed_head(text)
    if title and lesson.board.title != title:  # what the scenes' prompts name, until the plan is whole
        lesson.board = Storyboard(title, audience)
    scenes = boards.streamed_scenes(text)[:n or prompts.LESSON_MAX_SCENES]
    for i, sc in enumerate(scenes, start=1):
        if i not in runner.started:
            yield from runner.start(_Ask(i, sc, f"scene{i:02d}", n))


# --------------------------------------------------------------------------------------------- scenes
@dataclass(frozen=True)
class _Ask:
    """What to do for one scene: its plan, and for a redo the person's words or code."""

    index: int
    scene: PlannedScene
    folder: str
    total: Optional[int] = None  # the lesson's number of scenes, when known (a plan still streaming: not yet)
    instruction: str = ""
    code: Optional[str] = None


class _Scenes:
    """The scenes' jobs of a lesson (or a redo), each in a thread of its own, started as soon as each is known
    (so their model calls overlap), at most render_concurrency of them in the sandbox at a time (`_Slots`);
    their events relayed as they come, each scene's clip as soon as it is there."""

    def __init__(self, lesson: Lesson):
        self.lesson = lesson
        self.events: queue.Queue = queue.Queue()
        self.slots = _Slots(max(1, int(lesson.s.render_concurrency)), [], lesson.cancel)
        self.pool = ThreadPoolExecutor(prompts.LESSON_MAX_SCENES, thread_name_prefix="t2m-lesson")
        self.started: set[int] = set()
        self.pending: set[int] = set()
        self.state: dict[int, str] = {}
        self.t: Optional[float] = None

    def start(self, ask: _Ask) -> Iterator[Event]:
        self.t = self.t or time.monotonic()
        self.started.add(ask.index)
        self.pending.add(ask.index)
        self.slots.add(ask.index)
        yield SceneState(ask.index, "planned", ask.scene.title)
        self.pool.submit(_scene_thread, self.lesson, ask, self.events, self.slots)

    def poll(self, wait: bool) -> Iterator[Event]:
        """The scenes' events so far; with `wait`, until every started scene is done (then cancelled or not)."""
        while self.pending:
            try:
                index, ev = self.events.get(block=wait)
            except queue.Empty:
                return
            if isinstance(ev, _Done):
                self.pending.discard(index)
                yield from _scene_done(self.lesson, ev.outcome, self.t or time.monotonic())
                continue
            if isinstance(ev, StageStarted) and STAGE_STATE.get(ev.stage, self.state.get(index)) != self.state.get(index):
                self.state[index] = STAGE_STATE[ev.stage]
                yield SceneState(index, self.state[index], ev.detail)
            yield SceneEvent(index, ev)
        if wait:
            self.lesson.add_time("scenes", time.monotonic() - (self.t or time.monotonic()))
            if self.lesson.cancel.is_set():
                raise _Cancelled()

    def close(self) -> None:
        if self.pending:  # the consumer went away, the plan failed, or a bug: the jobs stop at their next check
            self.lesson.cancel.set()
        self.pool.shutdown(wait=True)


class _Slots:
    """At most `n` scenes in the sandbox at once (each leases a warm worker of a pool that size). Earlier
    scenes never wait for later ones: a scene takes a slot only if the free slots outnumber the earlier
    scenes that have not had one yet (scene 1 plays first; a slow answer for scene 1 keeps a slot for it
    while later scenes use the others).

    A scene's job is a generator: the thread that pulls its events blocks on a build stage's StageStarted
    before pulling further, so the sandbox work has not begun; a model repair round gives the slot back."""

    TAKE = (SANITIZE, POLICY)  # the first stages of the build chain (build.build)
    GIVE = (REPAIR,)

    def __init__(self, n: int, indices: list[int], cancel: threading.Event):
        self.free, self.cancel = n, cancel
        self.unstarted = set(indices)  # scenes that have not had a slot yet
        self.held: set[int] = set()
        self.cond = threading.Condition()

    def add(self, index: int) -> None:
        with self.cond:
            self.unstarted.add(index)

    def on(self, index: int, ev: Any) -> None:
        if isinstance(ev, StageStarted) and ev.stage in self.TAKE:
            self.take(index)
        elif isinstance(ev, StageStarted) and ev.stage in self.GIVE:
            self.give(index)

    def take(self, index: int) -> None:
        with self.cond:
            if index in self.held:
                return
            while (self.free <= sum(i < index for i in self.unstarted)
                   and not (self.free > 0 and self.cancel.is_set())):
                self.cond.wait(0.5)
            self.unstarted.discard(index)
            self.free -= 1
            self.held.add(index)

    def give(self, index: int, done: bool = False) -> None:
        with self.cond:
            if done:  # a scene that ends without a slot (its model failed) holds none back
                self.unstarted.discard(index)
            if index in self.held:
                self.held.discard(index)
                self.free += 1
            self.cond.notify_all()


def _scene_done(lesson: Lesson, outcome: SceneOutcome, t: float) -> Iterator[Event]:
    lesson.outcomes[outcome.index] = outcome
    lesson.save()
    if outcome.clip is not None:
        lesson.timings.setdefault("first_clip", time.monotonic() - lesson.t0)
        yield SceneClip(outcome.index, outcome.clip, outcome.status)
    if outcome.status == "replaced":
        yield Failed(RENDER, outcome.message, None, CodeError("lesson", outcome.message, kind="Replaced"))
    yield SceneState(outcome.index, "replaced" if outcome.status in ("replaced", "missing") else "done",
                     outcome.message or (f"clip ready ({time.monotonic() - t:.1f} s)"))


def _scene_thread(lesson: Lesson, ask: _Ask, events: queue.Queue, slots: _Slots) -> None:
    """One scene's job (and its title card if it has no video); every event into `events`, then _Done."""
    outcome = SceneOutcome(ask.index, "missing")

    def put(ev: Any) -> None:
        slots.on(ask.index, ev)  # may wait here, before the job's sandbox work
        events.put((ask.index, ev))

    try:
        outcome = _scene_job(lesson, ask, put)
    except Exception as exc:
        lesson.job.log(f"scene {ask.index}: internal error:\n" + traceback.format_exc())
        outcome = SceneOutcome(ask.index, "missing", message=f"internal error: {exc!r}")
    finally:
        slots.give(ask.index, done=True)
        events.put((ask.index, _Done(outcome)))


def _run_job(request: Request, put) -> JobResult:
    from text_to_manim.pipeline import conductor

    result = JobResult()
    for ev in conductor.run(request):
        if isinstance(ev, Finished):
            result = ev.result
        else:
            put(ev)
    return result


def _scene_request(lesson: Lesson, ask: _Ask) -> Optional[Request]:
    """The scene's job: code given, its gallery scene, its formula scene (offline), or a model's scene; None
    for an offline scene with neither (its card is its content)."""
    sc = ask.scene
    base = Request(settings=lesson.s, cancel=lesson.cancel, job_dir=lesson.job.dir / ask.folder, history=False,
                   anchor=False, notes_pdf=False, narration=sc.narration)
    if ask.code is not None:
        return replace(base, code=ask.code)
    if sc.gallery:
        return replace(base, gallery_slug=sc.gallery, prompt=sc.title)
    if lesson.s.provider == "offline":
        if not sc.formulas:
            return None
        code = formula_scene(f"{sc.title}: {sc.goal}", sc.formulas[0])[0]
        return replace(base, code=code, sanitize=False)
    board = lesson.board
    prompt = prompts.lesson_scene(board.title, board.audience, ask.index, ask.total, sc.title, sc.goal, sc.on_screen,
                                  sc.formulas, sc.narration, sc.seconds)
    if ask.instruction:
        prompt += f"\n\nThe person asks for this scene: {ask.instruction.strip()}"
    return replace(base, prompt=prompt)


def _scene_job(lesson: Lesson, ask: _Ask, put) -> SceneOutcome:
    request = _scene_request(lesson, ask)
    if request is None:  # offline text section: the card is the scene
        card = _card(lesson, ask, put, note="")
        return replace(card, status="done" if card.clip else "missing", message="")
    result = _run_job(request, put)
    if result.video is not None and result.status in ("ok", "partial"):
        return SceneOutcome(ask.index, "done" if result.ok else "partial", result.video, result.job_dir,
                            result.message if not result.ok else "", list(result.errors), result.preview,
                            result.captions_srt)
    if lesson.cancel.is_set():
        return SceneOutcome(ask.index, "missing", None, result.job_dir, CANCELLED)
    error = result.errors[0].short() if result.errors else (result.message or "no video")
    card = _card(lesson, ask, put, note=CARD_NOTE)
    return replace(card, message=REPLACED.format(i=ask.index, error=error), errors=list(result.errors))


def _card(lesson: Lesson, ask: _Ask, put, note: str) -> SceneOutcome:
    """The scene's title card; without its formulas as TeX if they do not compile."""
    for folder, with_formulas in ((f"{ask.folder}-card", True), (f"{ask.folder}-card-text", False)):
        if folder.endswith("-text") and not ask.scene.formulas:
            break
        put(StageStarted(RENDER, "title card" + ("" if with_formulas else " (formulas as text)")))
        code = offline_lesson.title_card(ask.scene, note, with_formulas=with_formulas)
        result = _run_job(Request(code=code, sanitize=False, scene=offline_lesson.CARD_SCENE, settings=lesson.s,
                                  cancel=lesson.cancel, job_dir=lesson.job.dir / folder, history=False,
                                  notes_pdf=False, narration=card_words(ask.scene)), put)
        if result.video is not None and result.ok:
            return SceneOutcome(ask.index, "replaced", result.video, result.job_dir, preview=result.preview,
                                captions=result.captions_srt)
        if lesson.cancel.is_set():
            break
    return SceneOutcome(ask.index, "missing")


def card_words(scene: PlannedScene) -> str:
    """What a title card says when narrated: the scene's planned narration, else its title and goal."""
    if scene.narration.strip():
        return scene.narration
    return " ".join(t.strip().rstrip(".") + "." for t in (scene.title, scene.goal) if t.strip())


# ------------------------------------------------------------------------------------ stitch and notes
def _assemble(lesson: Lesson):
    """lesson.mp4 with its chapters, and the notes (their PDF building in the background)."""
    video, chapters = yield from _stitch(lesson)
    pdf = yield from _notes(lesson, chapters)
    lesson.save(video, chapters)
    return video, chapters, pdf


def _stitch(lesson: Lesson):
    from text_to_manim.scene import render

    t = time.monotonic()
    order = [lesson.outcomes[i] for i in sorted(lesson.outcomes)]
    shipped = [o for o in order if o.clip is not None]
    yield StageStarted(STITCH, f"{len(shipped)} clip(s), one chapter each, without re-encoding")
    chapters: list[Chapter] = []
    video: Optional[Path] = None
    if shipped:
        titles = [f"{o.index}. {lesson.board.scenes[o.index - 1].title}"[:80] for o in shipped]
        video, marks, errors = render.join_clips(lesson.job, [o.clip for o in shipped if o.clip], VIDEO_NAME,
                                                 titles, lesson.s, lesson.cancel)
        for e in errors:
            lesson.errors.append(e)
            yield Failed(STITCH, e.message, e.line, e)
        times = {i: (float(m.get("start", 0)), float(m.get("end", 0))) for i, m in zip(
            [o.index for o in shipped], marks)}
    else:
        errors, times = [], {}
    if video is not None:
        yield from _captions(lesson, video, [(o, times[o.index]) for o in shipped if o.index in times])
    for o in order:
        start, end = times.get(o.index, (0.0, 0.0))
        chapters.append(Chapter(o.index, lesson.board.scenes[o.index - 1].title, start, end,
                                o.status if o.clip else "missing", o.clip, o.job_dir, o.message))
    secs = time.monotonic() - t
    lesson.add_time(STITCH, secs)
    if video is None:
        lesson.message = lesson.message or (errors[0].short() if errors else NO_CLIPS)
        yield StageFinished(STITCH, secs, "failed")
        return None, tuple(chapters)
    yield Artifact("video", video)
    yield StageFinished(STITCH, secs, f"{VIDEO_NAME}: {len(shipped)} chapter(s), {chapters[-1].end:.1f} s")
    return video, tuple(chapters)


def lesson_cues(placed: list[tuple[SceneOutcome, tuple[float, float]]]) -> list[captions.Cue]:
    """Every scene's captions moved to its chapter (start, end) in the lesson's video, in order."""
    out: list[captions.Cue] = []
    for o, (start, end) in placed:
        out += captions.shifted(_scene_cues(o), start, end)
    return out


def _scene_cues(o: SceneOutcome) -> list[captions.Cue]:
    """A scene's cues from the SRT its own job wrote (none for a silent clip). Its folder is the scene's too:
    read without following a link, and not at all past MAX_CAPTIONS_BYTES."""
    if o.captions is None:
        return []
    data = sandbox_fs.read_tail(o.captions, MAX_CAPTIONS_BYTES + 1)
    if len(data) > MAX_CAPTIONS_BYTES:
        return []
    return captions.from_srt(data.decode("utf-8", errors="replace"))


def _captions(lesson: Lesson, video: Path, placed: list[tuple[SceneOutcome, tuple[float, float]]]):
    """captions.vtt and .srt beside lesson.mp4: one track across the lesson (or none, and no stale one from
    before a redo, when no scene speaks)."""
    cues = lesson_cues(placed)
    lesson.cues = cues
    if not cues:
        lesson.captions = None
        for name in ("captions.vtt", "captions.srt"):
            (video.with_name(name)).unlink(missing_ok=True)
        return
    lesson.captions = captions.write(video, cues)
    lesson.job.log(f"{STITCH}: {len(cues)} caption(s) across the lesson")
    yield Artifact("captions", lesson.captions[0])
    yield Artifact("captions_srt", lesson.captions[1])


def mmss(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 60:02d}:{s % 60:02d}"


def notes_markdown(board: Storyboard, chapters: tuple[Chapter, ...], cues: Optional[list[captions.Cue]] = None) -> str:
    """One section per scene, headed by its start time in the video (a missing scene has none); the lesson's
    narration as a transcript at the end when it speaks."""
    out = [f"# {board.title}", ""]
    if board.audience:
        out += [f"*For {board.audience}.*", ""]
    for c in chapters:
        sc = board.scenes[c.index - 1]
        when = f" ({mmss(c.start)})" if c.status != "missing" else " (not in the video)"
        out += [f"## {c.index}. {sc.title}{when}", ""]
        if sc.goal:
            out += [f"**Goal.** {sc.goal}", ""]
        if sc.narration and sc.narration != sc.goal:
            out += [sc.narration, ""]
        out += [f"$$ {f} $$\n" for f in sc.formulas]
        if c.status == "replaced":
            out += ["*The animation of this scene failed; the video shows its title card instead.*", ""]
    text = "\n".join(out).rstrip()
    return (text + transcript.markdown(cues) if cues else text + "\n")


def _notes(lesson: Lesson, chapters: tuple[Chapter, ...]):
    t = time.monotonic()
    yield StageStarted(NOTES, "one section per scene, with its time in the video")
    paths = notes_mod.write(lesson.job.dir, notes_markdown(lesson.board, chapters, lesson.cues), title=lesson.board.title)
    for kind in ("notes_md", "notes_tex"):
        yield Artifact(kind, paths[kind])
    pdf = notes_mod.PdfBuild(paths["notes_tex"]) if notes_mod.pdflatex_available() else None
    secs = time.monotonic() - t
    lesson.add_time(NOTES, secs)
    yield StageFinished(NOTES, secs, "notes.md, notes.tex" + (", notes.pdf building" if pdf else ""))
    return pdf


def _finish(lesson: Lesson, video: Optional[Path], chapters: tuple[Chapter, ...],
            pdf: Optional[notes_mod.PdfBuild], status: Optional[str]) -> JobResult:
    job = lesson.job
    r = JobResult(job_dir=job.dir, log=job.log_file, job_id=job.id, provider=lesson.provider_name,
                  model=lesson.model, video=video)
    if pdf is not None:
        pdf.thread.join(timeout=PDF_WAIT_SECONDS)
        r.notes_pdf = pdf.pdf
    md, tex = job.dir / "notes.md", job.dir / "notes.tex"
    r.notes_md, r.notes_tex = (md if md.exists() else None), (tex if tex.exists() else None)
    if video is not None and lesson.captions:
        r.captions, r.captions_srt = lesson.captions
    first = next((o for _, o in sorted(lesson.outcomes.items()) if o.preview), None)
    r.preview = first.preview if first else None
    replaced = [o for o in lesson.outcomes.values() if o.status != "done"]
    r.errors = list(lesson.errors) + [CodeError("lesson", o.message, kind=o.status) for o in replaced if o.message]
    r.ok = status is None and video is not None and not replaced and not lesson.errors
    r.status = status or ("ok" if r.ok else "partial" if video is not None else "failed")
    if not r.ok:
        r.message = lesson.message or (f"{len(replaced)} of {len(lesson.board.scenes)} scene(s) replaced by a "
                                       "title card" if video is not None else "failed")
    lesson.timings["total"] = time.monotonic() - lesson.t0
    r.timings = dict(lesson.timings)
    storyboard = job.dir / boards.STORYBOARD_FILE
    r.lesson = LessonFacts(lesson.board.title, storyboard if storyboard.exists() else None, chapters)
    try:
        (job.dir / "result.json").write_text(json.dumps(r.as_json(), indent=2), encoding="utf-8")
    except OSError:
        pass
    if lesson.store:
        try:
            lesson.store.finish(job.id, status=r.status, errors=[e.as_dict() for e in r.errors], fixes=[],
                                timings=r.timings, artifacts={k: str(v) for k, v in (
                                    ("video", r.video), ("preview", r.preview), ("notes_md", r.notes_md),
                                    ("notes_tex", r.notes_tex), ("notes_pdf", r.notes_pdf), ("log", r.log),
                                    ("storyboard", r.lesson.storyboard), ("captions", r.captions),
                                    ("captions_srt", r.captions_srt)) if v},
                                message=r.message)
        except Exception as exc:
            job.log(f"history: could not finish the row: {exc!r}")
    return r


# ----------------------------------------------------------------------------------------------- redo
def read_facts(lesson_dir: Union[str, Path]) -> Optional[dict[str, Any]]:
    """A lesson folder's lesson.json (its plan, scenes, chapters), or None when it is gone or not a lesson."""
    try:
        facts = json.loads((Path(lesson_dir) / LESSON_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return facts if isinstance(facts, dict) else None


def open_lesson(lesson_dir: Path, settings: config.Settings, cancel: Optional[threading.Event] = None) -> Lesson:
    """A finished lesson's state from its folder; StoryboardError when it is not one."""
    lesson_dir = Path(lesson_dir)
    facts = read_facts(lesson_dir)
    if not (lesson_dir / boards.STORYBOARD_FILE).is_file() or facts is None:
        raise boards.StoryboardError(NOT_A_LESSON.format(path=lesson_dir))
    # the lesson's own quality: clips joined without re-encoding must share their size and frame rate
    settings = settings.with_(quality=facts.get("quality") or None)
    lesson = Lesson(open_job(lesson_dir), settings, cancel or threading.Event(), str(facts.get("prompt") or ""))
    lesson.board = boards.load(lesson_dir / boards.STORYBOARD_FILE)
    lesson.outcomes = {o.index: o for o in (SceneOutcome.from_json(d) for d in facts.get("scenes", []))}
    return lesson


def redo(lesson_dir: Path, index: int, *, settings: config.Settings, instruction: str = "",
         code: Optional[str] = None, cancel: Optional[threading.Event] = None) -> Iterator[Event]:
    """Scene `index` rendered again (with the person's words, or their code), then the lesson stitched
    again; the other scenes' clips are not touched. Ends with Finished(JobResult) of the whole lesson."""
    lesson = open_lesson(lesson_dir, settings, cancel)
    if not 1 <= index <= len(lesson.board.scenes):
        raise boards.StoryboardError(NO_SUCH_SCENE.format(n=len(lesson.board.scenes), i=index))
    lesson.open_history(None, new=False)
    status: Optional[str] = None
    video, chapters, pdf = None, (), None
    runner = _Scenes(lesson)
    try:
        k = 1
        while any((lesson.job.dir / f"scene{index:02d}-r{k}{x}").exists() for x in ("", "-card")):
            k += 1
        ask = _Ask(index, lesson.board.scenes[index - 1], f"scene{index:02d}-r{k}", len(lesson.board.scenes),
                   instruction, code)
        yield from runner.start(ask)
        yield from runner.poll(wait=True)
        video, chapters, pdf = yield from _assemble(lesson)
    except _Cancelled:
        status = "cancelled"
        lesson.message = CANCELLED
        yield Failed("cancel", CANCELLED)
    finally:
        runner.close()
    yield Finished(_finish(lesson, video, chapters, pdf, status))
