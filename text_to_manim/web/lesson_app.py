"""The lesson in the Gradio app: the Lesson button beside Animate, the Lesson tab (chapters, each scene's clip,
the editable plan and Render lesson), the redo of one scene from the chat, and a lesson reopened from History.

A lesson is a job like any other: it goes through `App._drive` (the app's job queue and its bounds, the
visitor's own page, served copies of files), with `pipeline.lesson.run` in the worker thread and a
`lesson_view.LessonView` folding its events. Its handlers yield the app's usual outputs plus the Lesson tab's
three (plan, chapters, clips). A redo ("redo scene 3 with a number line") arrives through the chat's own
handler (`generate` asks `redo_request` first), so it has the usual outputs only; the Lesson tab follows it by a
`panels` step chained after every chat job. The lesson a page can redo is `session["lesson"]`: set only by this
visitor's own finished lesson or by a lesson they reopened from their History.
"""
from __future__ import annotations

import asyncio
import functools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional, Union

import gradio as gr

from text_to_manim import config, store
from text_to_manim.events import Storyboard
from text_to_manim.jobs import new_job
from text_to_manim.pipeline import lesson as lessons
from text_to_manim.pipeline import storyboard as boards
from text_to_manim.web.lesson_view import LESSON_PANELS, NO_CHAPTERS, LessonView, redo_target
from text_to_manim.web.views import OFFLINE

EMPTY_TOPIC = "Type the lesson's topic first (or edit a plan in the Lesson tab and press Render lesson)."
EMPTY_PLAN = ("The plan is empty: press **Lesson** beside Animate to have one written, or paste a storyboard "
              "(JSON with title, audience and scenes).")
BAD_JSON = "the plan is not valid JSON: {msg} at line {line}, column {col}"
BAD_PLAN = "The edited plan cannot be rendered: {error}. Fix it in the Lesson tab and press **Render lesson** again."
LESSON_GONE = ("This lesson's files are no longer on the server (removed by the disk limit), so its scenes cannot "
               "be rendered again. Start a new lesson.")
REOPENED = ("This is a lesson: its chapters, each scene's clip and its plan are in the **Lesson** tab. Say *\"redo "
            "scene 2 with …\"* to render one scene again, or edit the plan and press **Render lesson**.")
PLAN_HINT = ("Edit the plan's titles, goals, formulas, narration or seconds, remove or add scenes (3 to 8), then "
             "press **Render lesson**: your version is rendered as it is, without planning again.")
# A chapter's start time jumps the app's player there (the stitched lesson has the same times as the table)
SEEK_JS = """element.addEventListener('click', (e) => {
  const b = e.target.closest('[data-seek]'); if (!b) return;
  const v = document.querySelector('#t2m-video video'); if (!v) return;
  v.currentTime = parseFloat(b.dataset.seek); v.play().catch(() => {});
});"""
CHAPTERS_CSS = """table.t2m-chapters { border-collapse: collapse; width: 100%; font-size: .9rem; }
.t2m-chapters th, .t2m-chapters td { text-align: left; padding: .25rem .5rem;
  border-bottom: 1px solid var(--border-color-primary); }
.t2m-chapters-title { font-weight: 600; margin-bottom: .35rem; }
button.t2m-seek { font-family: monospace; color: var(--color-accent); text-decoration: underline; cursor: pointer; }"""
RENDER_PLAN_TEXT = "Render the edited lesson plan: {title} ({n} scenes)"
# A pasted document (two or more Markdown headings or LaTeX sections) is the lesson's source: its sections
MD_HEADINGS = re.compile(r"^#{1,3}\s+\S", re.M)
TEX_SECTIONS = re.compile(r"\\(?:sub)?section\*?\{")
SOURCE_NAME = "source{suffix}"  # the pasted document, kept in the lesson's folder


def pasted_suffix(text: str) -> str:
    """".md" or ".tex" when the text is a pasted document with sections, else ""."""
    if len(MD_HEADINGS.findall(text)) >= 2:
        return ".md"
    if len(TEX_SECTIONS.findall(text)) >= 2:
        return ".tex"
    return ""


def run_lesson(req: lessons.LessonRequest, pasted: str = "", suffix: str = ""):
    """`pipeline.lesson.run`; a pasted document is first written into the lesson's own fresh folder as its source."""
    if pasted:
        job = new_job(req.settings.jobs_dir, "lesson")
        source = job.dir / SOURCE_NAME.format(suffix=suffix)
        source.write_text(pasted, encoding="utf-8")
        title = next((ln.strip("#% \t") for ln in pasted.splitlines() if ln.strip()), "")[:80]
        req = replace(req, prompt=title, document=source, job_dir=job.dir)
    return lessons.run(req)


@dataclass
class RedoRequest:
    """One scene of a finished lesson again, as a job of the app's queue (owner, settings, cancel as a Request)."""

    lesson_dir: Path
    index: int
    instruction: str
    settings: config.Settings
    cancel: threading.Event = field(default_factory=threading.Event)
    owner: Optional[str] = None


def run_redo(req: RedoRequest):
    return lessons.redo(req.lesson_dir, req.index, settings=req.settings, instruction=req.instruction,
                       cancel=req.cancel)


def parse_plan(text: str) -> Storyboard:
    """An edited plan from the Lesson tab; ValueError saying what is wrong (which field, which scene)."""
    if not (text or "").strip():
        raise ValueError(EMPTY_PLAN)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(BAD_JSON.format(msg=exc.msg, line=exc.lineno, col=exc.colno)) from None
    return boards.check_given(Storyboard.from_json(data))


class LessonUI:
    """The lesson's part of the app: built into `App`'s page and wired to its handlers' machinery.

    `own_page` and `visitor` are app.py's (passed in: this module is below app.py and cannot import it)."""

    def __init__(self, app, own_page: Callable, visitor: Callable):
        self.app, self.own_page, self.visitor = app, own_page, visitor

    # --- the page -------------------------------------------------------------------------------------
    def button(self, ui) -> None:
        ui.lesson = gr.Button("Lesson", variant="secondary", scale=1, min_width=80, elem_id="t2m-lesson")

    def tab(self, ui) -> None:
        with gr.Tab("Lesson", id="lesson"):
            ui.chapters = gr.HTML(NO_CHAPTERS, elem_id="t2m-chapters", js_on_load=SEEK_JS, css_template=CHAPTERS_CSS,
                                  padding=True)
            ui.clips = gr.File(label="Each scene's clip", file_count="multiple", interactive=False,
                               elem_id="t2m-clips")
            ui.plan = gr.Code("", language="json", interactive=True, lines=12, max_lines=30,
                              label="The lesson's plan (storyboard.json, editable)", elem_id="t2m-plan")
            gr.Markdown(PLAN_HINT)
            ui.render_plan = gr.Button("Render lesson", variant="primary", elem_id="t2m-render-lesson")

    def wire(self, ui, outputs: list, runs: list, job: dict, private: dict, settings_inputs: list) -> None:
        """Lesson and Render lesson as queued jobs (added to `runs`, so Cancel and New scene stop them); the
        Lesson tab refreshed after each chat job already in `runs` (a redo comes through the chat)."""
        panels = [ui.plan, ui.chapters, ui.clips]
        for ev in list(runs):
            ev.then(self.panels, [ui.session], panels, **private)
        start = ui.lesson.click(self.app.accept, [ui.prompt, ui.session],
                                [ui.prompt, ui.submitted, ui.chatbot, ui.session], **private)
        runs.append(start.then(self.lesson, [ui.submitted, ui.session] + settings_inputs, outputs + panels,
                               api_name="lesson", **job))
        runs.append(ui.render_plan.click(self.render_plan, [ui.plan, ui.session] + settings_inputs,
                                         outputs + panels, api_name="render_lesson", **job))
        ui.new.click(self.cleared, None, panels, **private)  # New scene starts over: the Lesson tab too

    def after_history(self, opened, ui) -> None:
        opened.then(self.panels, [ui.session], [ui.plan, ui.chapters, ui.clips], api_visibility="private",
                    queue=False)

    # --- handlers ---------------------------------------------------------------------------------------
    async def lesson(self, prompt, session, provider=OFFLINE, model="", base_url="", api_key="", quality="l",
                     fmt="mp4", rounds=3, narration=None, voice=None, speed=None, burn=None,
                     request: Optional[gr.Request] = None):
        """A topic (or a pasted Markdown/LaTeX document: its sections) -> the storyboard streamed, then its scenes
        in parallel, each clip as it is ready, then the stitched lesson with chapters and notes."""
        prompt = (prompt or "").strip()
        session = self.own_page(session, self.visitor(request))
        if session is None:
            yield self.app._not_yours(prompt) + self._skips()
            return
        if not prompt:
            gr.Warning(EMPTY_TOPIC)
            yield self.app._idle(session) + self._skips()
            return
        s = self.app._settings(provider, model, base_url, api_key, quality, fmt, rounds, narration, voice, speed,
                               burn)
        suffix = pasted_suffix(prompt)
        run = functools.partial(run_lesson, pasted=prompt, suffix=suffix) if suffix else lessons.run
        async for snap in self._drive(lessons.LessonRequest(prompt=prompt, settings=s), session, prompt, request,
                                      run):
            yield snap

    async def render_plan(self, plan, session, provider=OFFLINE, model="", base_url="", api_key="", quality="l",
                          fmt="mp4", rounds=3, narration=None, voice=None, speed=None, burn=None,
                          request: Optional[gr.Request] = None):
        """The plan in the Lesson tab, as edited -> its scenes rendered (no planning)."""
        session = self.own_page(session, self.visitor(request))
        if session is None:
            yield self.app._not_yours() + self._skips()
            return
        try:
            board = parse_plan(plan)
        except ValueError as exc:
            why = str(exc) if str(exc) == EMPTY_PLAN else BAD_PLAN.format(error=str(exc).rstrip("."))
            yield self.app._refuse(session, "Render the edited lesson plan", why) + self._skips()
            return
        s = self.app._settings(provider, model, base_url, api_key, quality, fmt, rounds, narration, voice, speed,
                               burn)
        req = lessons.LessonRequest(prompt=board.title, storyboard=board, settings=s)
        text = RENDER_PLAN_TEXT.format(title=board.title, n=len(board.scenes))
        async for snap in self._drive(req, session, text, request):
            yield snap

    def redo_request(self, text: str, session: dict, settings: config.Settings) -> Union[RedoRequest, str, None]:
        """For the chat: a redo of one scene of this page's lesson when `text` asks for one; a refusal (str) when
        that scene or lesson cannot be redone; None when `text` is not about a lesson's scene."""
        target = redo_target(text)
        where = session.get("lesson")
        if target is None or not where:
            return None
        facts = lessons.read_facts(where)
        if facts is None:
            return LESSON_GONE
        n = len((facts.get("storyboard") or {}).get("scenes") or [])
        index, words = target
        if not 1 <= index <= n:
            return lessons.NO_SUCH_SCENE.format(n=n, i=index).capitalize() + "."
        return RedoRequest(Path(where), index, words, settings.with_(format="mp4"))

    async def drive_redo(self, req: Union[RedoRequest, str], session: dict, text: str, request=None):
        if isinstance(req, str):
            yield self.app._refuse(session, text, req)
            return
        facts = lessons.read_facts(req.lesson_dir) or {}
        view = functools.partial(LessonView.for_lesson, facts, str(req.lesson_dir), redo_index=req.index)
        async for snap in self.app._drive(req, session, text, request, run=run_redo, view=view):
            yield snap

    def panels(self, session):
        """The Lesson tab after a chat job (a redo) or a reopened lesson: chapters and clips from the lesson's
        folder; the plan only when a lesson was just reopened (never over an edit in progress)."""
        skip = gr.skip()
        if not isinstance(session, dict) or not session.get("lesson"):
            return skip, skip, skip
        facts = lessons.read_facts(session["lesson"])
        if facts is None:
            return skip, gr.update(value=LESSON_GONE), gr.update(value=None)
        view = LessonView.for_lesson(facts, session["lesson"])
        plan = view.plan_json() if session.pop("lesson_plan_due", False) else skip
        return plan, view.chapters(), self._served_clips(view.clips(), session.get("owner"))

    @staticmethod
    def cleared():
        return "", NO_CHAPTERS, None

    def reopen(self, job: dict, session: dict, view) -> None:
        """A History row reopened: a lesson becomes the page's lesson (redo, plan, chapters); any other job ends
        the page's lesson."""
        session.pop("lesson", None)
        if job.get("kind") != "lesson":
            return
        try:
            facts = store.open_store(self.app.settings.db_path).lesson(str(job.get("id")))
        except Exception:  # a broken history: the row's files are still shown
            facts = None
        if not facts or lessons.read_facts(facts.get("job_dir") or "") is None:
            view.messages.append({"role": "assistant", "content": LESSON_GONE})
            return
        session["lesson"] = facts["job_dir"]
        session["lesson_plan_due"] = True
        if facts.get("video") and Path(facts["video"]).is_file():
            view.video = facts["video"]
        view.messages.append({"role": "assistant", "content": REOPENED})

    # --- streaming --------------------------------------------------------------------------------------
    async def _drive(self, req, session: dict, text: str, request, run=lessons.run):
        """The app's `_drive` with a LessonView, each snapshot followed by the Lesson tab's changed parts."""
        # A lesson renders up to render_concurrency scenes at once: it holds that many of the app's slots, so
        # two visitors' lessons never put twice as many sandboxes on the machine as it has slots.
        slots = max(1, int(self.app.settings.render_concurrency))
        async for snap in self.app._drive(req, session, text, request, run=run, view=LessonView, weight=slots):
            yield snap + await asyncio.to_thread(self._lesson_parts, req, session)

    def _lesson_parts(self, req, session: dict) -> tuple:
        job = session.get("job")
        view = getattr(job, "view", None)
        if job is None or job.req is not req or not isinstance(view, LessonView):
            return self._skips()
        with job.cond:
            done = job.done.is_set()
            dirty = view.take_lesson_dirty() | (set(LESSON_PANELS) if done else set())
            plan = view.plan_json() if "plan" in dirty and view.board is not None else None
            chapters = view.chapters() if "chapters" in dirty else None
            clips = view.clips() if "clips" in dirty else None
            if done and view.lesson_dir and view.result is not None and view.result.lesson is not None:
                session["lesson"] = view.lesson_dir  # this page's lesson now: a redo from the chat targets it
        skip = gr.skip()
        return (plan if plan is not None else skip, chapters if chapters is not None else skip,
                self._served_clips(clips, session.get("owner")) if clips is not None else skip)

    def _served_clips(self, clips: list[tuple[str, str]], owner: Optional[str]) -> Optional[list]:
        return [c for c in (self.app.served.serve(p, owner, name) for p, name in clips) if c] or None

    @staticmethod
    def _skips() -> tuple:
        return gr.skip(), gr.skip(), gr.skip()
