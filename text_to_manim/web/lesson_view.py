"""A lesson's events in, chat bubbles and the Lesson tab's panels out: a pure reducer, like `chat.ChatView`.

`LessonView` is a `ChatView` that also folds the lesson's own events (pipeline/lesson.py):
- the storyboard streams into the "Storyboard" stage bubble as the model writes it, then shows in the chat as a
  readable plan (title, audience, per scene: title, goal, formulas, narration, ~seconds), and as JSON for the
  editable plan in the Lesson tab;
- one bubble per scene that follows its state (planned / writing / validating / rendering / done / replaced),
  pending until the scene has its clip, with the scene's failures in plain words;
- the player shows the first scene's clip as soon as it is rendered (`SceneClip`), while the others render,
  then the stitched lesson;
- the chapters (start mm:ss, a button that jumps the lesson there; status; clip per scene) and the
  closing words say what shipped and how to redo one scene.

It imports neither gradio nor the pipeline's modules (only the shared events), so it is unit-tested with lists
of events. The Lesson tab's parts have their own dirty set (`take_lesson_dirty`), apart from the chat's.

`redo_target(text)` reads a chat follow-up that asks for one scene again ("redo scene 3 with a number line").
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from text_to_manim.events import (
    PLAN,
    RENDER,
    Artifact,
    Failed,
    Finished,
    JobResult,
    LessonPlanned,
    Progress,
    SceneClip,
    SceneEvent,
    SceneState,
    Storyboard,
    TextDelta,
)
from text_to_manim.web.chat import ChatView, fmt_seconds, plain_error, stage_title

STATE_WORDS = {"planned": "planned", "writing": "writing", "validating": "validating", "rendering": "rendering",
               "done": "done", "replaced": "replaced by a title card", "failed": "failed", "partial": "partial"}
CHAPTER_STATUS = {"done": "✓ done", "partial": "◐ partial (up to its failing animation)",
                  "replaced": "▢ title card", "missing": "✗ not in the video"}
LESSON_PANELS = ("plan", "chapters", "clips")
NO_CHAPTERS = ("<p class='t2m-chapters-empty'>A lesson's chapters appear here: type a topic (or paste a document "
               "with sections) and press <b>Lesson</b> beside Animate.</p>")
LESSON_READY = "Lesson ready in {took}: **{title}**, {n} scene{s}, {length} in all."
LESSON_CARDS = (" {k} scene{s} failed after {its} repair rounds and show{v} {its} title card{s} instead: {which}.")
LESSON_HOW = ("The chapters and each scene's clip are in the **Lesson** tab; the stitched video and the notes are "
              "in Downloads. To change one scene, say *\"redo scene 2 with a number line\"*; to change the plan, "
              "edit it in the Lesson tab and press **Render lesson**.")
REDO_DONE = ("Scene {i} (*{title}*) was rendered again and the lesson stitched again in {took}; the other scenes "
             "are the same clips.")
REDO_CARD = "Scene {i} (*{title}*) failed again and is still a title card: {why}"
REDO_HINT = " Try other words: *\"redo scene {i} with …\"*."
PROGRESS_STAGE = "Lesson: {done} of {n} scenes ready"

# "redo scene 3 with a number line", "re-render scene 3", "scene 3: use a number line", "in scene 3, slower"
REDO = re.compile(r"^\s*(?:please\s+)?(?:(?:re-?do|re-?render|re-?make|re-?generate|re-?animate|fix|change|"
                  r"update|improve|make|animate)\s+)?(?:the\s+)?(?:in\s+)?scene\s*(?:no\.?\s*|#\s*)?(\d{1,2})\b"
                  r"(?:\s+again\b)?[\s:,.;-]*(.*)$", re.I | re.S)


def redo_target(text: str) -> Optional[tuple[int, str]]:
    """(scene number, the person's words for it) when `text` asks for one scene of a lesson again, else None."""
    m = REDO.match(text or "")
    if not m:
        return None
    return int(m.group(1)), m.group(2).strip()


def mmss(seconds: Optional[float]) -> str:
    if seconds is None:
        return "–"
    s = int(round(seconds))
    return f"{s // 60:02d}:{s % 60:02d}"


@dataclass
class SceneRow:
    """One scene as the Lesson tab lists it."""

    index: int
    title: str
    state: str = "planned"  # a SCENE_STATES word while the lesson runs; a chapter status once stitched
    detail: str = ""
    clip: Optional[str] = None
    start: Optional[float] = None  # seconds in the stitched lesson
    end: Optional[float] = None


def clip_name(row: SceneRow) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", row.title.lower()).strip("-")[:40]
    return f"scene{row.index:02d}" + (f"-{words}" if words else "") + (Path(row.clip or "").suffix or ".mp4")


def plan_markdown(board: Storyboard) -> str:
    """The storyboard as a person reads it."""
    out = [f"**Lesson plan: {board.title}**" + (f" · for {board.audience}" if board.audience else "")]
    for i, sc in enumerate(board.scenes, start=1):
        out.append(f"\n**{i}. {sc.title}** (~{int(round(sc.seconds))} s)" + (f": {sc.goal}" if sc.goal else ""))
        if sc.on_screen:
            out.append(f"- On screen: {sc.on_screen}")
        if sc.formulas:
            out.append("- Formulas: " + ", ".join(f"${f}$" for f in sc.formulas))
        if sc.narration and sc.narration != sc.goal:
            out.append(f"- Narration: *{sc.narration}*")
    out.append("\nThe plan is also in the **Lesson** tab as JSON: edit it there and press **Render lesson** to "
               "render your version.")
    return "\n".join(out)


def chapters_html(title: str, rows: list[SceneRow]) -> str:
    """The chapters table of the Lesson tab: start time (a button that jumps the stitched lesson there), scene,
    status. Titles and reasons come from the model: escaped."""
    if not rows:
        return NO_CHAPTERS
    out = [f'<div class="t2m-chapters-title">{html.escape(title)}</div><table class="t2m-chapters">',
           "<thead><tr><th>#</th><th>Starts</th><th>Scene</th><th>Status</th></tr></thead><tbody>"]
    for r in rows:
        status = CHAPTER_STATUS.get(r.state) or (STATE_WORDS.get(r.state, r.state) + " …")
        if r.detail and r.state in ("replaced", "partial", "missing"):
            status += f": {r.detail}"
        start = (f'<button class="t2m-seek" data-seek="{r.start:.3f}" title="play the lesson from here">'
                 f"{mmss(r.start)}</button>" if r.start is not None and r.state != "missing" else mmss(None))
        out.append(f'<tr data-scene="{r.index}"><td>{r.index}</td><td>{start}</td><td>{html.escape(r.title)}</td>'
                   f"<td>{html.escape(status)}</td></tr>")
    return "".join(out) + "</tbody></table>"


@dataclass
class LessonView(ChatView):
    """A ChatView for a lesson (or the redo of one of its scenes)."""

    board: Optional[Storyboard] = None
    rows: dict = field(default_factory=dict)  # index -> SceneRow
    lesson_dir: Optional[str] = None
    redo_index: Optional[int] = None  # this view follows the redo of one scene
    lesson_dirty: set = field(default_factory=set)

    _plan_text: str = ""
    _plan_head: str = ""  # the plan stage's own words, above the streamed JSON
    _scene_msg: dict = field(default_factory=dict)  # index -> its bubble
    _shown_clip: Optional[int] = None  # the scene whose clip the player shows (None: none, or the lesson)
    _stitched: bool = False

    @staticmethod
    def for_lesson(facts: dict[str, Any], lesson_dir: str, **kw) -> LessonView:
        """A view of a finished lesson (its lesson.json / history facts): for reopening it or redoing a scene."""
        view = LessonView(**kw)
        view.lesson_dir = lesson_dir
        board = facts.get("storyboard")
        if isinstance(board, dict):
            view.board = Storyboard.from_json(board)
        for c in facts.get("chapters") or []:
            if isinstance(c, dict) and "index" in c:
                view.rows[int(c["index"])] = SceneRow(int(c["index"]), str(c.get("title") or ""),
                                                      str(c.get("status") or "done"), str(c.get("message") or ""),
                                                      c.get("clip") or None, c.get("start"), c.get("end"))
        if view.board is not None:
            for i, sc in enumerate(view.board.scenes, start=1):
                view.rows.setdefault(i, SceneRow(i, sc.title, "missing"))
        view.lesson_dirty |= set(LESSON_PANELS)
        return view

    # --- the Lesson tab ---------------------------------------------------------------------------
    def plan_json(self) -> str:
        return json.dumps(self.board.as_json(), indent=2, ensure_ascii=False) if self.board else ""

    def chapters(self) -> str:
        title = self.board.title if self.board else "Lesson"
        return chapters_html(title, [self.rows[i] for i in sorted(self.rows)])

    def clips(self) -> list[tuple[str, str]]:
        """(path, download name) of each scene's clip: scene01-functions.mp4 … in the lesson's order."""
        return [(r.clip, clip_name(r)) for _, r in sorted(self.rows.items()) if r.clip and Path(r.clip).is_file()]

    def take_lesson_dirty(self) -> set:
        d, self.lesson_dirty = self.lesson_dirty, set()
        return d

    # --- the reducer ------------------------------------------------------------------------------
    def apply(self, ev) -> None:
        if isinstance(ev, TextDelta):
            self._plan_delta(ev.text)
        elif isinstance(ev, LessonPlanned):
            self._planned(ev)
        elif isinstance(ev, SceneState):
            self._scene_state(ev)
        elif isinstance(ev, SceneEvent):
            self._scene_event(ev.index, ev.event)
        elif isinstance(ev, SceneClip):
            self._clip(ev)
        elif isinstance(ev, Failed) and ev.error is not None and getattr(ev.error, "kind", "") == "Replaced":
            return  # said in the scene's own bubble and in the closing words
        elif isinstance(ev, Finished):
            self._lesson_finished(ev.result)
        else:
            if isinstance(ev, Artifact) and ev.kind == "video":
                self._stitched = True
                self._shown_clip = None
            super().apply(ev)

    def _plan_delta(self, text: str) -> None:
        if not text:
            return
        self._close_thinking()
        i = self._open.get(PLAN)
        if i is None:  # a plan text without its stage: still shown
            i = self._open[PLAN] = self._bubble(stage_title(PLAN))
        if not self._plan_text:
            self._plan_head = self.messages[i].get("content") or ""
        self._plan_text += self._scrub(text)
        head = f"{self._plan_head}\n\n" if self._plan_head else ""
        self._update(i, content=f"{head}```json\n{self._plan_text.strip()}\n```")

    def _planned(self, ev: LessonPlanned) -> None:
        self.board = ev.storyboard
        if ev.path is not None:
            self.lesson_dir = str(Path(ev.path).parent)
        # scenes may have started while the plan streamed (each as soon as its part was complete): kept as they are
        for i, sc in enumerate(ev.storyboard.scenes, start=1):
            self.rows.setdefault(i, SceneRow(i, sc.title)).title = sc.title
        self.rows = {i: r for i, r in self.rows.items() if i <= len(ev.storyboard.scenes)}
        self._append({"role": "assistant", "content": plan_markdown(ev.storyboard)})
        self._count_ready()
        self.lesson_dirty |= set(LESSON_PANELS)

    def _count_ready(self) -> None:
        """The status line while scenes run: how many of the plan's scenes have their clip (or card)."""
        if self.board is None or self.redo_index is not None:
            return  # the plan is still streaming (its stage says so), or one scene is redone
        ready = sum(r.state in ("done", "replaced", "failed") for r in self.rows.values())
        self.stage = PROGRESS_STAGE.format(done=ready, n=len(self.board.scenes))
        self.dirty.add("status")

    def _title(self, index: int) -> str:
        row = self.rows.get(index)
        return f"Scene {index}" + (f" · {row.title}" if row and row.title else "")

    def _scene_state(self, ev: SceneState) -> None:
        row = self.rows.setdefault(ev.index, SceneRow(ev.index, ev.detail if ev.state == "planned" else ""))
        row.state, row.detail = ev.state, ev.detail or ""
        if ev.state == "planned":  # its detail is its title
            row.start = row.end = None
            row.title, row.detail = row.title or ev.detail, ""
        final = ev.state in ("done", "replaced", "failed")
        mark = {"done": "✓ ", "replaced": "▢ ", "failed": "✗ "}.get(ev.state, "")
        title = f"{mark}{self._title(ev.index)} · {STATE_WORDS.get(ev.state, ev.state)}"
        i = self._scene_msg.get(ev.index)
        if i is None:
            self._scene_msg[ev.index] = self._bubble(title, self._scrub(row.detail))
            i = self._scene_msg[ev.index]
        else:
            body = self.messages[i].get("content") or ""
            line = self._scrub(ev.detail or "")
            if line and final:
                body = (body + "\n\n" if body else "") + line
            self._update(i, title=title, content=body)
        if final:
            self._update(i, done=True)
        self._count_ready()
        self.lesson_dirty.add("chapters")

    def _scene_event(self, index: int, ev) -> None:
        """A scene's own job: its failures (in plain words) and its render's progress go into its bubble."""
        i = self._scene_msg.get(index)
        if i is None:
            return
        if isinstance(ev, Failed) and "retrying in" not in (ev.message or "") and ev.stage != "cancel":
            words = self._scrub(plain_error(ev.stage, ev.message, ev.line, self.base_url))
            body = self.messages[i].get("content") or ""
            self._update(i, content=(body + "\n\n" if body else "") + f"- {words}")
        elif isinstance(ev, Progress) and ev.stage == RENDER and ev.total:
            base = self.messages[i]["metadata"]["title"].split(" · animation ")[0]
            self._update(i, title=f"{base} · animation {ev.done} of {ev.total}")
        elif isinstance(ev, Artifact) and ev.kind == "preview" and not self.video and not self.preview:
            self.preview = str(ev.path)  # the first scene's last frame, before any clip plays
            self.dirty.add("preview")

    def _clip(self, ev: SceneClip) -> None:
        row = self.rows.setdefault(ev.index, SceneRow(ev.index, ""))
        row.clip = str(ev.path)
        self.lesson_dirty.add("clips")
        # the player follows the lesson's order: the lowest scene whose clip is there, until the lesson is stitched
        if not self._stitched and (self._shown_clip is None or ev.index < self._shown_clip):
            self._shown_clip = ev.index
            self.video = str(ev.path)
            self.dirty.add("video")

    def _lesson_finished(self, result) -> None:
        facts = getattr(result, "lesson", None) if isinstance(result, JobResult) else None
        if facts is None or result.status == "cancelled" or result.video is None:
            super().apply(Finished(result))  # no lesson shipped: the chat's own words (why, what to try)
            return
        for c in facts.chapters:
            row = self.rows.setdefault(c.index, SceneRow(c.index, c.title))
            row.title, row.state, row.start, row.end = c.title, c.status, c.start, c.end
            row.detail = c.message
            row.clip = str(c.clip) if c.clip else row.clip
        self.lesson_dirty |= {"chapters", "clips"}
        if result.job_dir is not None:
            self.lesson_dir = str(result.job_dir)
        before = len(self.messages)
        super().apply(Finished(result))
        del self.messages[before:]  # the chat's generic closing words; a lesson says its own
        self.status = "ok" if result.ok else "partial"
        self._append({"role": "assistant", "content": self._closing(result, facts)})

    def _closing(self, result: JobResult, facts) -> str:
        timings = result.timings or {}
        took = fmt_seconds(float(timings.get("total") or self.clock() - self._started))
        if self.redo_index is not None:
            c = next((c for c in facts.chapters if c.index == self.redo_index), None)
            title = c.title if c else ""
            if c is not None and c.status in ("done", "partial"):
                return REDO_DONE.format(i=self.redo_index, title=title, took=took)
            return (REDO_CARD.format(i=self.redo_index, title=title, why=self._scrub(c.message if c else ""))
                    + REDO_HINT.format(i=self.redo_index))
        n = len(facts.chapters)
        length = mmss(max((c.end for c in facts.chapters), default=0.0))
        text = LESSON_READY.format(took=took, title=facts.title, n=n, s="s" if n != 1 else "", length=length)
        cards = [c for c in facts.chapters if c.status in ("replaced", "missing")]
        if cards:
            k = len(cards)
            which = "; ".join(f"scene {c.index} ({self._scrub(c.message) or 'no video'})" for c in cards)
            text += LESSON_CARDS.format(k=k, s="s" if k != 1 else "", its="their" if k != 1 else "its",
                                        v="" if k != 1 else "s", which=which)
        return f"{text}\n\n{LESSON_HOW}"
