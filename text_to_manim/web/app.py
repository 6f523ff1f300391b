"""The Gradio app: a thin adapter from `pipeline.run` events to the page (see app.py for the entry point).

Every job runs the pipeline to its end in a worker thread that folds events into a `ChatView`
(`ui_chat`, a pure reducer); the Gradio handler (an async generator, so a waiting or streaming job holds
no server thread) only yields snapshots of that view, coalesced to a few updates a second. So a closed tab
or a Cancel never leaves a pipeline half-consumed: the worker always drains it, the pipeline records the
job in History, and Cancel (a `threading.Event` the pipeline and the render watch) stops the model stream
and kills the render's process group.

Many visitors: each is known by a session cookie (`access`), sees only their own jobs in History, and gets
their job files as served copies only (media/jobs itself is never served). A page's state is its cookie's
own: `access.PageOwners` refuses a request naming another cookie's page, and every handler takes the owner
from the request's cookie, never from the state. Jobs wait in `job_queue` (first come first served, at most
`render_concurrency` at once; bounded per visitor, per client address and in all) with their place
shown; `disk_bounds` keeps media/jobs under T2M_MEDIA_MAX_GB. Served beyond loopback, a visitor's Base URL
must be on the operator's allow-list (`providers.base_url_refusal`). Handlers are async and never block the
event loop: file work (served copies) runs in threads.
"""
from __future__ import annotations

import asyncio
import logging
import os
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Optional

import gradio as gr

from text_to_manim import config, gallery
from text_to_manim.config import Settings
from text_to_manim.events import Artifact
from text_to_manim.generate import providers
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.web import disk_bounds, narration_view
from text_to_manim.web.access import (
    COOKIE,
    PageOwners,
    ServedFiles,
    SessionCookie,
    client_address,
    owner_of,
    token_from_cookie_header,
)
from text_to_manim.web.chat import ChatView, plain_error
from text_to_manim.web.job_queue import JobQueue, Ticket
from text_to_manim.web.lesson_app import LessonUI
from text_to_manim.web.views import (
    HISTORY_HEADERS,
    LATEX_DELIMITERS,
    OFFLINE,
    PROVIDER_CHOICES,
    QUALITY_CHOICES,
    banner_markdown,
    cache_gallery_preview,
    convert_video,
    gallery_card_html,
    gallery_preview,
    history_jobs,
    history_note,
    history_row,
    job_artifacts,
    progress_html,
    provider_choice,
    provider_defaults,
    queue_note,
    session_settings,
)

log = logging.getLogger(__name__)

CANCEL_GRACE = 15.0  # seconds a cancelled pipeline gets to wind down before the UI stops waiting
PREVIEW_LABEL = "Preview: last frame (rendering the video…)"
STILL_LABEL = "Still image (the scene never animates)"
UPDATE_INTERVAL = 0.08  # coalesce streamed tokens into at most ~12 UI updates a second
QUEUE_POLL = 0.25  # seconds between looks at the queue while a job waits for a free slot
NOT_YOUR_PAGE = ("This page's state belongs to another session (the session cookie changed since the page was "
                 "opened). Nothing was done: reload the page to start afresh.")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")  # served here only: any Base URL, as on one's own machine
NO_SESSION = ("This request carries no session cookie, so its jobs could not be kept private. Reload the page "
              "(or let your client keep cookies) and try again.")
EXAMPLES = [
    "Animate k-means clustering on three blobs",
    "Prove the Pythagorean theorem with a rearrangement of squares",
    r"$\int_0^1 x^2\,dx = \tfrac{1}{3}$ as a Riemann sum",
    "Explain principal component analysis on a 2D point cloud",
]

CSS = """
.gradio-container { max-width: 1500px !important; margin: 0 auto; }
#t2m-header h1 { margin: 0; font-size: 1.6rem; }
#t2m-header p { margin: .15rem 0 0 0; opacity: .75; }
#t2m-banner { padding: .55rem .9rem; border-radius: 10px; border: 1px solid var(--border-color-primary);
  background: var(--background-fill-secondary); }
#t2m-banner p { margin: 0; }
#t2m-sandbox-warning { padding: .55rem .9rem; border-radius: 10px; border: 1px solid #dc2626; color: #b91c1c; }
#t2m-chat .thought-group .content, #t2m-chat .thought-group .content .prose,
#t2m-chat .thought-group .content .prose * { color: var(--body-text-color-subdued) !important; }
#t2m-chat .thought-group .content .prose pre, #t2m-chat .thought-group .content .prose code { color: inherit; }
#t2m-chat .thought-group .title .prose p { font-size: .85rem; }
#t2m-progress { min-height: 3rem; }
.t2m-progress { min-height: 2.4rem; font-size: .9rem; }
.t2m-progress-label { margin-bottom: .25rem; opacity: .85; }
.t2m-progress-track { height: 6px; border-radius: 3px; background: var(--border-color-primary); overflow: hidden; }
.t2m-progress-fill { height: 100%; background: var(--color-accent); transition: width .3s ease; }
.t2m-ok .t2m-progress-label { color: var(--color-green-600, #16a34a); }
.t2m-failed .t2m-progress-label { color: var(--color-red-600, #dc2626); }
.t2m-partial .t2m-progress-label { color: var(--color-amber-600, #d97706); }
#t2m-notes { max-height: 560px; overflow-y: auto; padding: .25rem .75rem; }
.t2m-card { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: .6rem !important;
  background: var(--background-fill-primary); justify-content: space-between; }
.t2m-card-btn { flex-grow: 0 !important; }
.t2m-card-img { width: 100%; aspect-ratio: 16 / 9; object-fit: cover; border-radius: 8px; display: block;
  margin-bottom: .5rem; background: #000; }
.t2m-card h3 { margin: .1rem 0 .3rem 0; font-size: 1.05rem; }
.t2m-card p { margin: 0; font-size: .9rem; opacity: .85; }
.t2m-card-cat { font-size: .7rem; text-transform: uppercase; letter-spacing: .06em; opacity: .6; }
.t2m-card-params { font-size: .8rem; opacity: .65; margin-top: .3rem; }
.t2m-card-noimg { display: flex; align-items: center; justify-content: center; text-align: center; padding: 1rem;
  box-sizing: border-box; background: linear-gradient(135deg, #0f172a, #334155); font-size: 1rem; }
.t2m-card-noimg span { color: #e2e8f0 !important; }
"""


def _new_session() -> dict:
    return {"messages": [], "last_code": None, "files": {}, "job": None}


def own_page(session, owner: Optional[str]) -> Optional[dict]:
    """The page state if it is `owner`'s (a new one is claimed now); None when another cookie owns it."""
    session = session if isinstance(session, dict) else _new_session()
    if session.get("owner") not in (None, owner):
        return None
    session["owner"] = owner
    return session


class LiveJob:
    """One pipeline run, drained in a worker thread into a ChatView; snapshots are taken under a lock."""

    def __init__(self, req: pipeline.Request, view: ChatView, on_done=None, run=None):
        self.req, self.view, self.on_done = req, view, on_done
        self.run = run or pipeline.run  # a lesson's job runs pipeline.lesson.run (web/lesson_app.py)
        self.cond = threading.Condition()
        self.version = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="t2m-job", daemon=True)

    def start(self) -> LiveJob:
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            for ev in self.run(self.req):
                with self.cond:
                    self.view.apply(ev)
                    self.version += 1
                    self.cond.notify_all()
        except Exception as exc:  # the app stays usable whatever a stage raised
            log.exception("pipeline crashed")
            with self.cond:
                self.view.fail(f"internal error: {type(exc).__name__}: {exc}", stage="app")
        finally:
            with self.cond:
                if self.view.status == "running":
                    if self.req.cancel.is_set():
                        self.view.cancel()
                    else:
                        self.view.fail("the pipeline ended without a result", stage="app")
                self.version += 1
            if self.on_done is not None:
                try:
                    self.on_done(self.view)
                except Exception:
                    log.exception("after-job hook failed")
            with self.cond:
                self.done.set()
                self.cond.notify_all()

    def wait(self, since: int, timeout: float) -> int:
        with self.cond:
            self.cond.wait_for(lambda: self.version != since or self.done.is_set(), timeout=timeout)
            return self.version

    async def changed(self, since: int, timeout: float) -> int:
        """`wait` for async handlers: polls, so that no server thread is held while a job streams."""
        end = time.monotonic() + timeout
        while self.version == since and not self.done.is_set() and time.monotonic() < end:
            await asyncio.sleep(UPDATE_INTERVAL)
        return self.version


def served_root(parent: Path) -> Path:
    """This process's folder of served copies; folders of app processes that are gone are removed (their
    copies' names came from a secret that died with them, so no page can fetch them any more)."""
    if parent.is_dir():
        for d in parent.iterdir():
            if d.name.isdigit() and int(d.name) != os.getpid() and not Path(f"/proc/{d.name}").exists():
                shutil.rmtree(d, ignore_errors=True)
    return parent / str(os.getpid())


def visitor(request: Optional[gr.Request]) -> Optional[str]:
    """The owner hash of the visitor who sent `request` (None without a valid session cookie)."""
    if request is None:
        return None
    try:
        token = request.cookies.get(COOKIE)
    except Exception:
        token = token_from_cookie_header((request.headers or {}).get("cookie", ""))
    return owner_of(token)


def client_of(request: Optional[gr.Request], trust_proxy: bool) -> str:
    """The client address of `request`, for the per-client bound ("" when unknown)."""
    if request is None:
        return ""
    peer = getattr(getattr(request, "client", None), "host", None)
    return client_address(peer, (request.headers or {}).get("x-forwarded-for", ""), trust_proxy)


class App:
    """Holds the server's settings and builds the Blocks; handlers are methods so tests can reuse them."""

    def __init__(self, settings: Optional[Settings] = None):
        from gradio.utils import get_upload_folder

        self.settings = settings or config.load()
        self.outputs: list = []
        s = self.settings
        self.queue = JobQueue(slots=max(1, int(s.render_concurrency)), per_owner=max(1, int(s.max_jobs_per_session)),
                              per_client=max(1, int(s.max_jobs_per_client)), total=max(1, int(s.max_queued_jobs)))
        self.pages = PageOwners()
        try:
            from text_to_manim import store

            store.open_store(s.db_path).set_bounds(s.history_max_jobs, s.history_max_per_visitor)
        except Exception as exc:  # a broken history must not stop the app (the History tab says so)
            log.warning("history unavailable: %s", exc)
        self.local_only = False  # served on loopback only (set by launch); until known, the stricter rules
        self.served = ServedFiles(served_root(Path(get_upload_folder()) / "t2m-served"), self.settings.jobs_dir,
                                  public_dirs=[self.settings.media_dir / "gallery", gallery.DOCS_DIR,
                                               gallery.ANIMATIONS_DIR])
        threading.Thread(target=self._bound_disk, name="t2m-disk-bound", daemon=True).start()
        self.lessons = LessonUI(self, own_page, visitor)

    def _bound_disk(self) -> disk_bounds.Bound:
        try:
            return disk_bounds.enforce(self.settings, on_removed=self.served.forget_job)
        except Exception as exc:  # the bound must never stop the app
            log.exception("disk bound failed: %s", exc)
            return disk_bounds.Bound(used=0, limit=1)

    # --- settings from the Settings tab ---------------------------------------------------------------
    def _settings(self, provider, model, base_url, api_key, quality, fmt, rounds, *speech, narrate=False) -> Settings:
        """`speech`: the narration mode, voice, pace and burn-in (narration_view); `narrate`: the Narrate button."""
        return narration_view.apply(session_settings(self.settings, provider, model, base_url, api_key, quality, fmt,
                                                     rounds), *speech, narrate=narrate)

    def banner(self, provider, model, base_url, api_key, quality=None, fmt=None, rounds=None):
        s = self._settings(provider, model, base_url, api_key, quality, fmt, rounds)
        return banner_markdown(s, typed_key=bool((api_key or "").strip()), wanted=provider)

    def on_provider(self, provider):
        model, base = provider_defaults(provider, self.settings)
        editable = provider != OFFLINE
        return gr.update(value=model, interactive=editable), gr.update(value=base, interactive=editable)

    # --- outputs ------------------------------------------------------------------------------------
    def _serve(self, path, owner: Optional[str]):
        return self.served.serve(path, owner) if path else None

    def _snapshot(self, view: ChatView, session: dict, full: bool = False) -> tuple:
        """Values for OUTPUTS; parts that did not change are skipped (no re-sending the video per token).
        Files go out as this visitor's served copies, never as paths under media/jobs."""
        owner = session.get("owner")
        dirty = view.take_dirty()
        if full:
            dirty |= {"chat", "video", "preview", "progress", "code", "notes", "files", "status"}
        skip = gr.skip()
        chat = list(view.messages) if "chat" in dirty else skip
        show_video = bool(view.video) or not view.preview
        if {"video", "preview"} & dirty:
            video = narration_view.video_update(self._serve(view.video, owner),
                                                self._serve(view.files.get("captions"), owner) if view.video else None,
                                                show_video)
            still = bool(view.files.get("image")) and view.preview == view.files.get("image")
            preview = gr.update(value=self._serve(view.preview, owner) if not view.video else None,
                                visible=not show_video, label=STILL_LABEL if still else PREVIEW_LABEL)
        else:
            video = preview = skip
        progress = (progress_html(view.progress, view.status, stage=view.stage)
                    if {"progress", "status"} & dirty else skip)
        code = view.code if "code" in dirty else skip
        notes = view.notes if "notes" in dirty else skip
        files = self._served_list(view.downloads(), owner) if "files" in dirty else skip
        notes_files = self._served_list(view.notes_files(), owner) if "files" in dirty else skip
        session["messages"] = list(view.messages)
        session["files"] = dict(view.files)
        if view.code and view.status != "running":
            session["last_code"] = view.code
        return chat, video, preview, progress, code, notes, notes_files, files, session

    def _served_list(self, paths: list, owner: Optional[str]) -> Optional[list]:
        return [c for c in (self._serve(p, owner) for p in paths) if c] or None

    def _refuse(self, session: dict, user_text: str, why: str) -> tuple:
        """A job that was not started: the person's message, then why, in the chat."""
        chat = list(session.get("messages") or []) + [{"role": "user", "content": user_text},
                                                       {"role": "assistant", "content": f"**Not started.** {why}"}]
        session["messages"] = chat
        skip = gr.skip()
        return (chat, skip, skip, progress_html(None, "failed", note="not started"), skip, skip, skip, skip, session)

    async def _drive(self, req: pipeline.Request, session: dict, user_text: str, request=None, run=None, view=None,
                     weight: int = 1):
        """Admit the job (its Base URL, the queue's bounds, the disk bound), wait for free slots (`weight` of
        them) showing the place in the queue, then run it and stream its view. The queue place is released
        whatever happens. `session` is the requester's own (`own_page`)."""
        owner = session.get("owner")
        if owner is None:
            yield self._refuse(session, user_text, NO_SESSION)
            return
        req.owner = owner
        why = self._base_url_refusal(req.settings)
        if why:
            yield self._refuse(session, user_text, why)
            return
        ticket = self.queue.enter(owner, client_of(request, self.settings.trust_proxy), weight=weight)
        if not isinstance(ticket, Ticket):
            yield self._refuse(session, user_text, ticket)
            return
        turn = object()
        session["turn"] = turn  # a newer job of this tab replaces one still waiting
        try:
            while not ticket.try_start():
                if session.get("turn") is not turn:
                    return
                running, _ = self.queue.stats()
                yield self._waiting(session, user_text, ticket.position(), running)
                await asyncio.sleep(QUEUE_POLL)
            bound = await asyncio.to_thread(self._bound_disk)
            if bound.full:
                yield self._refuse(session, user_text, bound.message())
                return
            async for snap in self._run_job(req, session, user_text, run, view):
                yield snap
        finally:
            ticket.release()

    def _base_url_refusal(self, s: Settings) -> Optional[str]:
        """Why this request's model server is not taken ('' when it is): served beyond loopback, only the
        operator's allow-list and their own configured Base URL (a visitor's URL would make the server send
        requests anywhere, internal addresses included, and show the answers back)."""
        if self.local_only or s.provider != "openai":
            return ""
        return providers.base_url_refusal(s.base_url, (*self.settings.allowed_base_urls, self.settings.base_url)) or ""

    def _not_yours(self, user_text: str = "") -> tuple:
        """Outputs for a request naming another cookie's page: said once, and that page's state untouched."""
        chat = ([{"role": "user", "content": user_text}] if user_text else []) + [
            {"role": "assistant", "content": f"**Not done.** {NOT_YOUR_PAGE}"}]
        skip = gr.skip()
        return (chat, skip, skip, progress_html(None, "failed", note="not done"), skip, skip, skip, skip, skip)

    def _waiting(self, session: dict, user_text: str, ahead: int, running: int) -> tuple:
        chat = list(session.get("messages") or [])
        if not chat or chat[-1].get("content") != user_text:
            chat.append({"role": "user", "content": user_text})
        skip = gr.skip()
        return (chat, skip, skip, queue_note(ahead, running), skip, skip, skip, skip, session)

    async def _run_job(self, req: pipeline.Request, session: dict, user_text: str, run=None, view=None):
        """`run` and `view`: another flow's events and their reducer (a lesson's: web/lesson_app.py)."""
        secrets = [k for k in {req.settings.api_key, self.settings.api_key} if k and len(k) >= 8]
        view = (view or ChatView)(messages=list(session.get("messages") or []), base_url=req.settings.base_url,
                                  secrets=secrets)
        view.start(user_text)
        job = LiveJob(req, view, on_done=self._after_job, run=run)
        prev = session.get("job")
        if prev is not None and not prev.done.is_set():
            prev.req.cancel.set()  # one job per browser session: a new one replaces a stale one
        session["job"] = job
        job.start()
        seen = -1
        cancel_seen_at = None
        try:
            yield await asyncio.to_thread(self._locked_snapshot, job, session, True)
            while True:
                seen = await job.changed(seen, timeout=1.0)
                if req.cancel.is_set() and cancel_seen_at is None:
                    cancel_seen_at = time.monotonic()
                if session.get("job") is not job:
                    return  # a newer job of this session (or New scene) owns the page now
                with job.cond:
                    finished = job.done.is_set()
                    if not finished and cancel_seen_at and time.monotonic() - cancel_seen_at > CANCEL_GRACE:
                        view.cancel()  # the pipeline is slow to stop; the worker keeps draining it
                        finished = True
                    due = bool(view.dirty) or finished
                if due:
                    yield await asyncio.to_thread(self._locked_snapshot, job, session, finished)
                if finished:
                    return
                await asyncio.sleep(UPDATE_INTERVAL)
        finally:
            if not job.done.is_set() and not finished_ok(view):
                req.cancel.set()  # the page went away or Gradio cancelled the event: stop the work

    def _locked_snapshot(self, job: LiveJob, session: dict, full: bool) -> tuple:
        """A snapshot taken in a thread: serving files links or copies them, which must not stall the
        event loop that every visitor's page shares."""
        with job.cond:
            return self._snapshot(job.view, session, full=full)

    def _after_job(self, view: ChatView) -> None:
        """A finished gallery scene (clicked, or matched offline) lends its last frame to its card; then the
        disk bound is applied again."""
        res = view.result
        if view.status == "ok" and res is not None and res.gallery:
            cache_gallery_preview(res.gallery, view.preview or view.files.get("preview"),
                                  self.settings.media_dir)
        self._bound_disk()

    # --- handlers -----------------------------------------------------------------------------------
    def accept(self, prompt, session, request: Optional[gr.Request] = None):
        """Instant, unqueued: show the message and clear the box while the job waits for a free slot."""
        text = (prompt or "").strip()
        session = own_page(session, visitor(request))
        if session is None:  # `generate` then says why; another's page is left as it is
            return "", text, gr.skip(), gr.skip()
        chat = list(session.get("messages") or [])
        if text:
            chat.append({"role": "user", "content": text})
        return "", text, chat, session

    async def generate(self, prompt, session, provider=OFFLINE, model="", base_url="", api_key="", quality="l",
                       fmt="mp4", rounds=3, narration=None, voice=None, speed=None, burn=None,
                       request: Optional[gr.Request] = None):
        """Prompt -> streamed reasoning, code, stage bubbles, preview, video, notes, downloads."""
        prompt = (prompt or "").strip()
        session = own_page(session, visitor(request))
        if session is None:
            yield self._not_yours(prompt)
            return
        if not prompt:
            gr.Warning("Type a concept or a formula first.")
            yield self._idle(session)
            return
        s = self._settings(provider, model, base_url, api_key, quality, fmt, rounds, narration, voice, speed, burn)
        redo = self.lessons.redo_request(prompt, session, s)  # "redo scene 3 with …" after a lesson
        if redo is not None:
            async for snap in self.lessons.drive_redo(redo, session, prompt, request):
                yield snap
            return
        req = pipeline.Request(prompt=prompt, settings=s, previous_code=session.get("last_code"),
                               scene=None)
        async for snap in self._drive(req, session, prompt, request):
            yield snap

    async def render_code(self, code, scene, session, provider=OFFLINE, model="", base_url="", api_key="",
                          quality="l", fmt="mp4", rounds=3, narration=None, voice=None, speed=None, burn=None,
                          request: Optional[gr.Request] = None, narrate: bool = False):
        """The code box as it is -> sanitize, validate, render (no model); with `narrate`, a voice-over
        written for it first (the Narrate button)."""
        session = own_page(session, visitor(request))
        if session is None:
            yield self._not_yours()
            return
        if not (code or "").strip():
            gr.Warning("The code box is empty.")
            yield self._idle(session)
            return
        s = self._settings(provider, model, base_url, api_key, quality, fmt, rounds, narration, voice, speed, burn,
                           narrate=narrate)
        req = pipeline.Request(code=code, scene=(scene or "").strip() or None, settings=s)
        n = len(code.splitlines())
        which = f", scene `{scene.strip()}`" if (scene or "").strip() else ""
        what = "Narrate" if narrate else "Render"
        async for snap in self._drive(req, session, f"{what} this code ({n} lines{which})", request):
            yield snap

    async def narrate_code(self, code, scene, session, provider=OFFLINE, model="", base_url="", api_key="",
                           quality="l", fmt="mp4", rounds=3, narration=None, voice=None, speed=None, burn=None,
                           request: Optional[gr.Request] = None):
        """The Narrate button: the code box with a voice-over written for it, rendered with captions."""
        async for snap in self.render_code(code, scene, session, provider, model, base_url, api_key, quality, fmt,
                                           rounds, narration, voice, speed, burn, request=request, narrate=True):
            yield snap

    async def render_gallery(self, slug, session, provider=OFFLINE, model="", base_url="", api_key="",
                             quality="l", fmt="mp4", rounds=3, narration=None, voice=None, speed=None, burn=None,
                             request: Optional[gr.Request] = None):
        """A curated scene: render it and show its notes. The same scene at the same settings again is answered
        at once from the pipeline's result cache (one "same code again" mechanism for every front end)."""
        session = own_page(session, visitor(request))
        if session is None:
            yield self._not_yours()
            return
        try:
            entry = gallery.get((slug or "").strip())
        except KeyError as exc:
            gr.Warning(str(exc))
            yield self._idle(session)
            return
        s = self._settings(provider, model, base_url, api_key, quality, fmt, rounds, narration, voice, speed, burn)
        req = pipeline.Request(prompt=entry.title, gallery_slug=entry.slug, settings=s, scene=entry.scene)
        async for snap in self._drive(req, session, f"Gallery: {entry.title}", request):
            yield snap

    def cancel(self, session, request: Optional[gr.Request] = None):
        """Stop this browser session's job: the model stream ends and the render's process group is killed."""
        session = own_page(session, visitor(request))
        if session is None:
            return self._not_yours()
        waiting = session.get("turn") is not None
        session["turn"] = None  # a job still waiting in the queue says nothing more (`cancels=` ends it)
        job: Optional[LiveJob] = session.get("job")
        if job is None or job.done.is_set():
            if waiting:  # let a queue update already on its way land first: "Cancelled" must be the last word
                time.sleep(2 * QUEUE_POLL)
            return self._idle(session, note="Cancelled")
        job.req.cancel.set()
        job.done.wait(CANCEL_GRACE)
        with job.cond:
            if not job.done.is_set():
                job.view.cancel()
            return self._snapshot(job.view, session, full=True)

    def new_scene(self, session, request: Optional[gr.Request] = None):
        """Start over: stop this session's job, if any, and clear the chat and the panels."""
        owner = visitor(request)
        session = own_page(session, owner)
        if session is None:
            return self._not_yours()
        job = session.get("job")
        if job is not None and not job.done.is_set():
            job.req.cancel.set()
        session["turn"] = None
        session = _new_session()
        session["owner"] = owner
        return ([], gr.update(value=None, visible=True), gr.update(value=None, visible=False), progress_html(None), "",
                "*The study notes appear here.*", None, None, session)

    def _idle(self, session, note: str = ""):
        skip = gr.skip()
        return (list(session.get("messages") or []), skip, skip, progress_html(None, "", note), skip, skip, skip, skip,
                session)

    def make_gif(self, session, request: Optional[gr.Request] = None):
        """The current video as an animated GIF, added to the downloads."""
        return self.make_format("gif", session, request)

    def make_webm(self, session, request: Optional[gr.Request] = None):
        """The current video as WebM (VP9), added to the downloads."""
        return self.make_format("webm", session, request)

    def make_format(self, fmt: str, session, request: Optional[gr.Request] = None):
        """gif / webm of the current video, on request, added to the downloads."""
        session = own_page(session, visitor(request))
        if session is None:
            gr.Warning(NOT_YOUR_PAGE)
            return gr.skip(), gr.skip()
        files = dict(session.get("files") or {})
        src = files.get("video")
        if not src or not Path(src).is_file():
            gr.Warning("There is no video yet.")
            return gr.skip(), session
        if src.endswith("." + fmt):
            return gr.skip(), session
        try:
            out = convert_video(src, fmt)
        except Exception as exc:
            gr.Warning(str(exc))
            return gr.skip(), session
        files[fmt] = str(out)
        session["files"] = files
        view = ChatView(files=files)
        return self._served_list(view.downloads(), session.get("owner")), session

    # --- gallery ------------------------------------------------------------------------------------
    def gallery_cards(self):
        return [gallery_card_html(e, gallery_preview(e.slug, self.settings.media_dir)) for e in gallery.entries()]

    # --- history ------------------------------------------------------------------------------------
    def history(self, request: Optional[gr.Request] = None):
        """This visitor's own jobs, newest first (another visitor's jobs are never listed)."""
        owner = visitor(request)
        jobs, problem = history_jobs(self.settings, owner) if owner else ([], "")
        rows = [history_row(j) for j in jobs]
        note = history_note(self.settings, problem)
        return gr.update(value=rows or [["", "", "", "No jobs yet", "", ""]]), jobs, note

    def open_history(self, jobs, session, evt: gr.SelectData, request: Optional[gr.Request] = None):
        owner = visitor(request)
        session = own_page(session, owner)
        if session is None:
            return self._not_yours() + (gr.skip(),)
        try:
            row = evt.index[0] if isinstance(evt.index, (list, tuple)) else int(evt.index)
            job = (jobs or [])[row]
        except (IndexError, TypeError, ValueError):
            return self._idle(session) + (gr.skip(),)
        if not owner or job.get("owner") != owner:
            return self._idle(session) + (gr.skip(),)
        return self._open_job(job, session) + (gr.Tabs(selected="create"),)

    def _open_job(self, job: dict, session: dict):
        """A past job's artifacts back in the main view; a follow-up then refines its scene."""
        arts = job_artifacts(job)
        when, status, kind, prompt, model, jid = history_row(job)
        view = ChatView(messages=list(session.get("messages") or []))
        for k, path in arts.items():
            view.apply(Artifact(k, Path(path)))
        if not view.code and job.get("final_code"):
            view.code = job["final_code"]
        text = (f"Reopened job `{jid}` from {when} ({status}): *{prompt}*. Its video, code, notes and files "
                f"are shown; a follow-up message refines this scene.")
        view.messages.append({"role": "assistant", "content": text})
        errors = [e for e in (job.get("errors") or []) if isinstance(e, dict)]
        if errors:
            lines = "\n".join(f"- {plain_error(e.get('stage', ''), e.get('message', ''), e.get('line'))}"
                               for e in errors[:6])
            view.messages.append({"role": "assistant", "content": lines,
                                  "metadata": {"title": f"Errors of job {jid}", "status": "done"}})
        if not arts.get("video") and arts.get("log"):
            try:
                tail = Path(arts["log"]).read_text(encoding="utf-8", errors="replace")[-1500:]
                view.messages.append({"role": "assistant", "content": f"```text\n{tail}\n```",
                                      "metadata": {"title": "Render log (end)", "status": "done"}})
            except OSError:
                pass
        view.status = {"ok": "ok", "cancelled": "cancelled", "partial": "partial"}.get(str(job.get("status")), "failed")
        self.lessons.reopen(job, session, view)
        if view.code:
            session["last_code"] = view.code
        session["job"] = None
        return self._snapshot(view, session, full=True)

    # --- the page -----------------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        s = self.settings
        ui = self.ui = SimpleNamespace()
        # Gradio removes uploaded files (and its other temporary copies, served copies included: they are
        # made again when needed) older than T2M_UPLOAD_MAX_AGE, checking every few minutes.
        age = max(1, int(s.upload_max_age_s))
        with gr.Blocks(title="Math-To-Manim", analytics_enabled=False,
                       delete_cache=(min(600, age), age)) as demo:
            ui.session = gr.State(_new_session())
            ui.history_jobs = gr.State([])
            ui.submitted = gr.Textbox(visible=False)
            gr.HTML('<div id="t2m-header"><h1>Math-To-Manim</h1><p>A concept in words or LaTeX → a rendered '
                    'Manim animation with study notes. Watch the reasoning and the code stream live.</p></div>')
            ui.banner = gr.Markdown(banner_markdown(s), elem_id="t2m-banner")
            if sandbox.bwrap_path() is None:  # said loudly, once, on the console and on the page
                sandbox.warn_once()
                gr.Markdown(f"**Sandbox warning.** {sandbox.NO_BWRAP_WARNING}", elem_id="t2m-sandbox-warning")
            with gr.Tabs(selected="create") as ui.tabs:
                with gr.Tab("Create", id="create"):
                    self._create_tab(ui)
                with gr.Tab("Gallery", id="gallery") as ui.gallery_tab:
                    self._gallery_tab(ui)
                with gr.Tab("History", id="history") as ui.history_tab:
                    self._history_tab(ui)
                with gr.Tab("Settings", id="settings"):
                    self._settings_tab(ui)
            self._wire(ui)
        # Gradio's own queue holds only events waiting for a thread (jobs wait in the app's queue instead):
        # bounded too, so that a flood of short events cannot pile up without end.
        demo.queue(default_concurrency_limit=max(1, int(s.render_concurrency)),
                   max_size=max(64, 4 * int(s.max_queued_jobs)))
        return demo

    def _create_tab(self, ui) -> None:
        with gr.Row(equal_height=False):
            with gr.Column(scale=5, min_width=360):
                ui.chatbot = gr.Chatbot(
                    elem_id="t2m-chat", height=640, show_label=False, latex_delimiters=LATEX_DELIMITERS,
                    feedback_options=None, buttons=["copy"], layout="bubble",
                    placeholder="**Ask for an animation.** Describe a concept (\"animate k-means on three blobs\") "
                                "or paste a formula. Follow-ups refine the last scene.")
                with gr.Row(equal_height=True):
                    ui.prompt = gr.Textbox(show_label=False, lines=1, max_lines=6, scale=7, elem_id="t2m-prompt",
                                           placeholder="A concept, or a formula in LaTeX … (Enter sends)",
                                           autofocus=True)
                    ui.send = gr.Button("Animate", variant="primary", scale=1, min_width=90, elem_id="t2m-send")
                    self.lessons.button(ui)
                    ui.cancel = gr.Button("Cancel", variant="stop", scale=1, min_width=80, elem_id="t2m-cancel")
                gr.Examples(EXAMPLES, inputs=ui.prompt, label="Try")
                ui.new = gr.Button("New scene", size="sm", variant="secondary", elem_id="t2m-new")
            with gr.Column(scale=6, min_width=420):
                ui.progress = gr.HTML(progress_html(None), elem_id="t2m-progress")
                ui.preview = gr.Image(label=PREVIEW_LABEL, type="filepath",
                                      interactive=False, visible=False, elem_id="t2m-preview", buttons=["download"])
                ui.video = gr.Video(label="Animation", interactive=False, elem_id="t2m-video", height=420,
                                    buttons=["download"], autoplay=True)
                with gr.Tabs():
                    with gr.Tab("Notes", id="notes"):
                        ui.notes = gr.Markdown("*The study notes appear here.*", latex_delimiters=LATEX_DELIMITERS,
                                               elem_id="t2m-notes", container=True, padding=True)
                        ui.notes_files = gr.File(label="The notes as files (.md, .tex, .pdf)", file_count="multiple",
                                                 interactive=False, elem_id="t2m-notes-files", height=150)
                    with gr.Tab("Code", id="code"):
                        ui.code = gr.Code(language="python", interactive=True, lines=16, max_lines=32,
                                          label="scene.py (editable)", elem_id="t2m-code", buttons=["copy", "download"])
                        with gr.Row(equal_height=True):
                            ui.scene_name = gr.Textbox("", label="Scene class (optional)", scale=2,
                                                       placeholder="the last Scene in the file")
                            ui.render_code = gr.Button("Render this code", variant="primary", scale=1,
                                                       elem_id="t2m-render-code")
                            ui.narrate = gr.Button("Narrate", scale=1, elem_id="t2m-narrate")
                    with gr.Tab("Downloads", id="downloads"):
                        ui.files = gr.File(label="Files", file_count="multiple", interactive=False, elem_id="t2m-files")
                        with gr.Row():
                            ui.make_gif = gr.Button("Make a GIF", size="sm", elem_id="t2m-make-gif")
                            ui.make_webm = gr.Button("Make a WebM", size="sm", elem_id="t2m-make-webm")
                    self.lessons.tab(ui)

    def _gallery_tab(self, ui, per_row: int = 3) -> None:
        gr.Markdown("Curated, tested animations. One click renders it (or plays the earlier render at once) and shows its "
                    "study notes.")
        ui.slug = gr.Textbox(visible=False)
        ui.cards, ui.card_htmls = [], []
        entries = gallery.entries()
        if not entries:
            gr.Markdown("*The gallery is empty.*")
        for i in range(0, len(entries), per_row):
            row = entries[i:i + per_row]
            with gr.Row(equal_height=True):
                for e in row:
                    with gr.Column(elem_classes=["t2m-card"], min_width=260, elem_id=f"t2m-card-{e.slug}"):
                        html = gallery_card_html(e, gallery_preview(e.slug, self.settings.media_dir))
                        ui.card_htmls.append(gr.HTML(html, padding=False))
                        button = gr.Button("▶ Render", size="sm", variant="primary", elem_classes=["t2m-card-btn"])
                        ui.cards.append((button, e.slug))
                for _ in range(per_row - len(row)):
                    gr.Column(min_width=260)  # keep the last row's cards as wide as the others
        ui.gallery_api = gr.Button(visible=False)

    def _history_tab(self, ui) -> None:
        gr.Markdown("Your past jobs in this browser, newest first (nobody else sees them). Click a row to reopen "
                    "its video, code, notes and files.")
        ui.history_note = gr.Markdown("", elem_id="t2m-history-note")
        ui.history_table = gr.Dataframe(headers=HISTORY_HEADERS, interactive=False, wrap=True, elem_id="t2m-history",
                                        column_widths=["13%", "8%", "7%", "46%", "12%", "14%"])
        ui.refresh = gr.Button("Refresh", size="sm")

    def _settings_tab(self, ui) -> None:
        s = self.settings
        editable = s.provider != "offline"
        gr.Markdown("These settings apply to this browser tab only. The API key is sent with each request and "
                    "never written to disk, logs or history.")
        with gr.Row():
            ui.provider = gr.Dropdown(list(PROVIDER_CHOICES), value=provider_choice(s), label="Provider",
                                      elem_id="t2m-provider")
            ui.model = gr.Textbox(s.model, label="Model", interactive=editable, elem_id="t2m-model")
            ui.base_url = gr.Textbox(s.base_url, label="Base URL", interactive=editable, elem_id="t2m-base-url")
        ui.api_key = gr.Textbox("", label="API key (this browser session only)", type="password",
                                placeholder="sk-… (leave empty to use the server's key, if any)",
                                elem_id="t2m-api-key")
        with gr.Row():
            ui.quality = gr.Radio(QUALITY_CHOICES, value=s.quality, label="Quality", elem_id="t2m-quality")
            ui.format = gr.Radio(list(config.FORMATS), value=s.format, label="Format", elem_id="t2m-format")
            ui.rounds = gr.Slider(0, 6, value=s.max_repair_rounds, step=1, label="Max repair rounds",
                                  elem_id="t2m-rounds")
        ui.narration, ui.voice, ui.voice_speed, ui.burn = narration_view.controls(s)

    def _wire(self, ui) -> None:
        settings_inputs = [ui.provider, ui.model, ui.base_url, ui.api_key, ui.quality, ui.format, ui.rounds,
                           ui.narration, ui.voice, ui.voice_speed, ui.burn]
        outputs = [ui.chatbot, ui.video, ui.preview, ui.progress, ui.code, ui.notes, ui.notes_files, ui.files,
                   ui.session]
        self.outputs = outputs
        # Every event that runs a job goes through the app's own queue (job_queue): at most
        # `render_concurrency` jobs run at once, whichever button started them, at most
        # `max_jobs_per_session` per visitor; the others wait and see their place. Gradio itself does not
        # limit these events: a waiting job is an idle async generator, not a held thread.
        job = dict(concurrency_id="t2m-jobs", concurrency_limit=None, show_progress="minimal",
                   show_progress_on=[ui.progress])
        private = dict(queue=False, api_visibility="private")
        runs = []
        # prompt -> (instant, unqueued) echo in the chat -> (queued) generate
        for trigger, public in ((ui.send.click, True), (ui.prompt.submit, False)):
            ev = trigger(self.accept, [ui.prompt, ui.session], [ui.prompt, ui.submitted, ui.chatbot, ui.session],
                         **private)
            runs.append(ev.then(self.generate, [ui.submitted, ui.session] + settings_inputs, outputs,
                                api_name="generate" if public else "generate_submit",
                                api_visibility="public" if public else "private", **job))
        self.lessons.wire(ui, outputs, runs, job, private, settings_inputs)  # Lesson, Render lesson; redo panels
        runs.append(ui.render_code.click(self.render_code, [ui.code, ui.scene_name, ui.session] + settings_inputs,
                                         outputs, api_name="render_code", **job))
        runs.append(ui.narrate.click(self.narrate_code, [ui.code, ui.scene_name, ui.session] + settings_inputs,
                                     outputs, api_name="narrate_code", **job))
        for button, slug in ui.cards:
            ev = button.click(lambda sl=slug: (sl, gr.Tabs(selected="create")), None, [ui.slug, ui.tabs], **private)
            runs.append(ev.then(self.render_gallery, [ui.slug, ui.session] + settings_inputs, outputs,
                                api_name=f"gallery_{slug}", api_visibility="private", **job))
        runs.append(ui.gallery_api.click(self.render_gallery, [ui.slug, ui.session] + settings_inputs, outputs,
                                         api_name="gallery", **job))
        ui.cancel.click(self.cancel, [ui.session], outputs, queue=False, api_name="cancel", cancels=runs)
        ui.new.click(self.new_scene, [ui.session], outputs, cancels=runs, **private)
        ui.make_gif.click(self.make_gif, [ui.session], [ui.files, ui.session], concurrency_limit=1,
                          api_name="make_gif")
        ui.make_webm.click(self.make_webm, [ui.session], [ui.files, ui.session], concurrency_limit=1,
                           api_name="make_webm")

        ui.provider.change(self.on_provider, [ui.provider], [ui.model, ui.base_url], **private)
        for comp in (ui.provider, ui.model, ui.base_url, ui.api_key):
            comp.change(self.banner, [ui.provider, ui.model, ui.base_url, ui.api_key], [ui.banner], **private)

        ui.gallery_tab.select(self.gallery_cards, None, ui.card_htmls, api_name="gallery_cards", **private)
        history = [ui.history_table, ui.history_jobs, ui.history_note]
        ui.history_tab.select(self.history, None, history, api_name="history_tab", **private)
        ui.refresh.click(self.history, None, history, queue=False, api_name="history")
        opened = ui.history_table.select(self.open_history, [ui.history_jobs, ui.session], outputs + [ui.tabs],
                                         **private)
        self.lessons.after_history(opened, ui)

    def upload_limit(self) -> int:
        """Bytes one upload request may carry (T2M_UPLOAD_MAX_MB)."""
        return max(0, int(float(self.settings.upload_max_mb) * 1024 * 1024))

    def allowed_paths(self) -> list[str]:
        """Public files only: gallery card pictures, the gallery's code and notes. Job files are not here:
        they go out as per-visitor served copies."""
        s = self.settings
        return [str(p) for p in (s.media_dir / "gallery", gallery.DOCS_DIR, gallery.ANIMATIONS_DIR)]

    def blocked_paths(self) -> list[str]:
        return [str(self.settings.db_path), str(config.PROJECT_ROOT / ".env"), str(self.settings.jobs_dir)]


def finished_ok(view: ChatView) -> bool:
    return view.status in ("ok", "partial", "failed", "cancelled")


def build_app(settings: Optional[Settings] = None) -> gr.Blocks:
    """The Gradio Blocks for `settings`. Its `launch(...)` applies the app's own options first (the paths it may
    serve, the history database it must not, theme and css, no browser-side run history: the API key is an
    input), so `build_app(s).launch(server_port=p, prevent_thread_lock=True)` is all a test needs."""
    app = App(settings)
    demo = app.build()
    demo.t2m_app = app  # type: ignore[attr-defined]
    plain_launch = demo.launch

    def launch(*args, **kwargs):
        kwargs = {**launch_kwargs(demo), **kwargs}
        host = kwargs.get("server_name") or os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
        app.local_only = host in LOCAL_HOSTS and not kwargs.get("share")
        return plain_launch(*args, **kwargs)

    demo.launch = launch  # type: ignore[method-assign]
    return demo


def launch_kwargs(demo: gr.Blocks) -> dict:
    app: App = demo.t2m_app  # type: ignore[attr-defined]
    from starlette.middleware import Middleware

    return {"allowed_paths": app.allowed_paths(), "blocked_paths": app.blocked_paths(), "css": CSS,
            "theme": gr.themes.Soft(primary_hue="indigo", secondary_hue="slate"), "run_history": False,
            "footer_links": ["api"], "show_error": True,
            "max_file_size": app.upload_limit(),
            "app_kwargs": {"middleware": [Middleware(SessionCookie, served=app.served, pages=app.pages,
                                                     upload_limit=app.upload_limit())]}}
