"""Events in, chat messages and panels out: the Gradio app's adapter, as a pure reducer.

`ChatView.apply(event)` folds one pipeline event into plain data (chat message dicts in Gradio's
messages format, the video/preview paths, the code, the notes, the download files). It imports
neither gradio nor the pipeline, so it is unit-tested with lists of events.

What a person sees in the chat, per job:
- their message;
- a collapsible "Thinking" bubble streaming the model's reasoning (pending -> done, with its duration);
- the code streaming as a python block;
- one small status bubble per stage (anchor, sanitize, policy, validate, layout, render, notes) with its
  timing, the fixes applied, and errors in plain words; each repair round gets its own bubbles;
- a closing message: done, failed (why, in plain words, and what to try), or cancelled.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .events import (
    ANCHOR, EXTRACT, GENERATE, LAYOUT, NOTES, POLICY, RENDER, REPAIR, SANITIZE, VALIDATE,
    Artifact, CodeDelta, CodeError, Failed, Finished, JobResult, NotesDelta, Progress, ReasoningDelta,
    StageFinished, StageStarted,
)

STAGE_TITLES = {
    ANCHOR: "Anchor formulas",
    GENERATE: "Generate",
    EXTRACT: "Extract code",
    SANITIZE: "Sanitize",
    POLICY: "Safety policy",
    VALIDATE: "Validate scene",
    LAYOUT: "Layout check",
    RENDER: "Render",
    NOTES: "Study notes",
    REPAIR: "Repair",
}
THINKING = "Thinking"
DOWNLOAD_ORDER = ("video", "gif", "webm", "code", "notes_md", "notes_tex", "notes_pdf", "log")


def stage_title(stage: str) -> str:
    return STAGE_TITLES.get(stage, stage.replace("_", " ").capitalize())


def plain_error(stage: str, message: str, line: Optional[int] = None, base_url: str = "") -> str:
    """A failure in words a person can act on (the raw message stays in the log and the details)."""
    msg = (message or "").strip()
    low = msg.lower()
    where = f" (line {line})" if line else ""
    if stage in (GENERATE, ANCHOR, REPAIR, "provider") or "api key" in low or "apikey" in low:
        if re.search(r"\b401\b|unauthori[sz]ed|invalid api key|incorrect api key|authentication", low):
            return ("The model provider rejected the API key (401 Unauthorized). Check the key in "
                    "Settings; it is kept for this browser session only.")
        if re.search(r"\b402\b|insufficient balance|quota", low):
            return "The model provider refused the request: the account has no balance or quota left."
        if re.search(r"\b429\b|rate limit", low):
            return "The model provider is rate-limiting requests (429). Wait a moment and try again."
        if re.search(r"no api key|api key (is )?(missing|not set|required)|missing api key", low):
            return ("No API key is set for this provider. Enter one in Settings, or switch the provider to "
                    "Offline gallery.")
        if re.search(r"connect|unreachable|refused|name or service|nodename|timed? ?out|getaddrinfo|"
                     r"network is unreachable|no route", low):
            target = f" at {base_url}" if base_url else ""
            return (f"Could not reach the model server{target}. Check the base URL in Settings and that the "
                    f"server is running. ({msg})")
        if re.search(r"\b404\b|model .*not (found|exist)|does not exist", low):
            return f"The model server does not know this model or endpoint: {msg}"
    if stage == POLICY:
        return (f"The safety policy refused the code{where}: {msg}. Generated scenes may only use Manim, "
                f"numpy and the math standard library; no files, network, processes or dunder tricks.")
    if stage == "cancel" or low in ("cancelled", "canceled", "cancelled by the user"):
        return "Cancelled."
    if stage == RENDER and re.search(r"timed? ?out|timeout|wall time", low):
        return f"The render took too long and was stopped: {msg}"
    if stage == VALIDATE:
        return f"Running the scene failed{where}: {msg}"
    if stage == LAYOUT:
        return f"Layout problem{where}: {msg}"
    if stage == EXTRACT:
        return f"No usable Manim scene was found in the model's answer: {msg}"
    return f"{stage_title(stage)} failed{where}: {msg}" if msg else f"{stage_title(stage)} failed{where}."


def _fmt_seconds(s: float) -> str:
    return f"{s:.1f} s" if s < 60 else f"{int(s // 60)} min {s % 60:.0f} s"


@dataclass
class ChatView:
    """The state of one job's view, built from events. `messages` continues the session's chat."""

    messages: list = field(default_factory=list)
    base_url: str = ""
    clock: Callable[[], float] = time.monotonic
    video: Optional[str] = None
    preview: Optional[str] = None
    code: str = ""
    final_code: bool = False  # True once the sanitized code file (Artifact "code") arrived
    notes: str = ""
    files: dict = field(default_factory=dict)  # kind -> path
    progress: Optional[tuple] = None  # (stage, done, total)
    status: str = "idle"  # idle | running | ok | failed | cancelled
    result: Optional[JobResult] = None
    errors: list = field(default_factory=list)  # plain-words strings
    round: int = 0  # repair round (0 = first attempt)
    # which parts changed since the last `take_dirty()` (so the app only re-sends what changed)
    dirty: set = field(default_factory=set)

    _open: dict = field(default_factory=dict)  # stage -> index of its pending bubble
    _t0: dict = field(default_factory=dict)  # message index -> clock at start
    _thinking: Optional[int] = None
    _code_msg: Optional[int] = None
    _code_stream: str = ""
    _notes_stream: bool = False
    _started: float = 0.0

    # --- starting ---------------------------------------------------------------------------------
    def start(self, prompt: str, kind: str = "prompt") -> "ChatView":
        """Append the person's message and mark the job running."""
        self.status = "running"
        self._started = self.clock()
        if prompt:
            self._append({"role": "user", "content": prompt})
        self.dirty |= {"chat", "status"}
        return self

    # --- helpers ----------------------------------------------------------------------------------
    def _append(self, msg: dict) -> int:
        self.messages.append(msg)
        self.dirty.add("chat")
        return len(self.messages) - 1

    def _bubble(self, title: str, content: str = "", status: str = "pending") -> int:
        i = self._append({"role": "assistant", "content": content,
                          "metadata": {"title": title, "status": status}})
        self._t0[i] = self.clock()
        return i

    def _close(self, i: Optional[int], seconds: Optional[float] = None, title: Optional[str] = None,
               content: Optional[str] = None) -> None:
        if i is None or i >= len(self.messages):
            return
        msg = self.messages[i]
        meta = dict(msg.get("metadata") or {})
        if meta.get("status") == "done" and title is None and content is None:
            return
        meta["status"] = "done"
        if seconds is None:
            seconds = self.clock() - self._t0.get(i, self.clock())
        meta["duration"] = round(max(seconds, 0.0), 2)
        if title is not None:
            meta["title"] = title
        msg = {**msg, "metadata": meta}
        if content is not None:
            msg["content"] = content
        self.messages[i] = msg
        self.dirty.add("chat")

    def _set_content(self, i: int, content: str) -> None:
        self.messages[i] = {**self.messages[i], "content": content}
        self.dirty.add("chat")

    def _round_suffix(self) -> str:
        return f" · round {self.round + 1}" if self.round else ""

    def _close_thinking(self) -> None:
        if self._thinking is not None:
            self._close(self._thinking)
            self._thinking = None

    def _code_markdown(self) -> str:
        text = self._code_stream
        if "```" in text:  # the model's own fenced answer: show it as it is
            return text
        return f"```python\n{text.rstrip()}\n```"

    # --- the reducer ------------------------------------------------------------------------------
    def apply(self, ev) -> None:  # noqa: C901 - one branch per event type
        if isinstance(ev, ReasoningDelta):
            if not ev.text:
                return
            if self._thinking is None:
                title = THINKING + (f" (repair round {self.round})" if self.round else "")
                self._thinking = self._bubble(title)
            i = self._thinking
            self._set_content(i, self.messages[i]["content"] + ev.text)
        elif isinstance(ev, CodeDelta):
            if not ev.text:
                return
            self._close_thinking()
            if self._code_msg is None:
                self._code_stream = ""
                self._code_msg = self._append({"role": "assistant", "content": ""})
            self._code_stream += ev.text
            self._set_content(self._code_msg, self._code_markdown())
            if not self.final_code:
                self.code = self._code_stream
                self.dirty.add("code")
        elif isinstance(ev, NotesDelta):
            if not self._notes_stream:  # a fresh notes stream replaces any earlier notes
                self._notes_stream = True
                self.notes = ""
            self.notes += ev.text
            self.dirty.add("notes")
        elif isinstance(ev, StageStarted):
            self._stage_started(ev)
        elif isinstance(ev, StageFinished):
            self._stage_finished(ev)
        elif isinstance(ev, Progress):
            self.progress = (ev.stage, ev.done, ev.total)
            self.dirty.add("progress")
            i = self._open.get(ev.stage)
            if i is not None and ev.total:
                self._set_content(i, f"animation {ev.done} of {ev.total}")
        elif isinstance(ev, Artifact):
            self._artifact(ev)
        elif isinstance(ev, Failed):
            self._failed(ev)
        elif isinstance(ev, Finished):
            self._finished(ev.result)

    def _stage_started(self, ev: StageStarted) -> None:
        if ev.stage == GENERATE:
            # the thinking bubble and the code block stand for this stage; a new round starts them afresh
            self._close_thinking()
            self._code_msg = None
            return
        if ev.stage == REPAIR:
            self.round += 1
            self._close_thinking()
            self._code_msg = None
        prev = self._open.get(ev.stage)
        if prev is not None:
            self._close(prev)
        title = stage_title(ev.stage)
        if ev.stage == REPAIR:
            title = f"Repair round {self.round}"
        else:
            title += self._round_suffix()
        self._open[ev.stage] = self._bubble(title, ev.detail or "")
        if ev.stage == RENDER:
            self.progress = (RENDER, 0, 0)
            self.dirty.add("progress")

    def _stage_finished(self, ev: StageFinished) -> None:
        if ev.stage == GENERATE:
            self._close_thinking()
            self._open.pop(GENERATE, None)
            return
        i = self._open.pop(ev.stage, None)
        if i is None:  # a stage that finished without a start event: still show it
            i = self._bubble(stage_title(ev.stage) + self._round_suffix())
        msg = self.messages[i]
        title = msg["metadata"]["title"]
        if ev.detail:
            title = f"{title} · {ev.detail}" if len(ev.detail) <= 60 else title
        body = msg.get("content") or ""
        if ev.detail and len(ev.detail) > 60:
            body = (body + "\n\n" if body else "") + ev.detail
        self._close(i, seconds=ev.seconds, title=title, content=body)
        if ev.stage == RENDER:
            self.progress = None
            self.dirty.add("progress")

    def _artifact(self, ev: Artifact) -> None:
        path = str(ev.path)
        self.files[ev.kind] = path
        self.dirty.add("files")
        if ev.kind == "video":
            if path.lower().endswith(".gif"):
                self.preview = path  # browsers play a gif as an image
                self.dirty.add("preview")
            else:
                self.video = path
                self.dirty.add("video")
        elif ev.kind == "preview":
            self.preview = path
            self.dirty.add("preview")
        elif ev.kind == "code":
            try:
                self.code = Path(path).read_text(encoding="utf-8")
                self.final_code = True
                self.dirty.add("code")
            except OSError:
                pass
        elif ev.kind == "notes_md":
            try:
                self.notes = Path(path).read_text(encoding="utf-8")
                self.dirty.add("notes")
            except OSError:
                pass

    def _failed(self, ev: Failed) -> None:
        line = ev.line or (ev.error.line if isinstance(ev.error, CodeError) else None)
        words = plain_error(ev.stage, ev.message, line, self.base_url)
        self.errors.append(words)
        if ev.stage == GENERATE:
            self._close_thinking()
        i = self._open.pop(ev.stage, None)
        title = f"{stage_title(ev.stage)}{self._round_suffix()} · failed"
        detail = words
        src = ev.error.source_line if isinstance(ev.error, CodeError) else ""
        if src:
            detail += f"\n\n```python\n{src}\n```"
        if i is None:
            i = self._bubble(title, detail)
            self._close(i, seconds=0.0)
        else:
            self._close(i, title=title, content=detail)
        if ev.stage == RENDER:
            self.progress = None
            self.dirty.add("progress")

    def _finished(self, result) -> None:
        for i in list(self._open.values()):
            self._close(i)
        self._open.clear()
        self._close_thinking()
        self.progress = None
        self.dirty |= {"progress", "status"}
        if not isinstance(result, JobResult):
            return
        self.result = result
        for kind in ("video", "preview", "code", "log", "notes_md", "notes_tex", "notes_pdf"):
            p = getattr(result, kind, None)
            if p and self.files.get(kind) != str(p):
                self._artifact(Artifact(kind, Path(p)))
        for e in result.errors or []:
            if isinstance(e, CodeError):
                words = plain_error(e.stage, e.message, e.line, self.base_url)
                if words not in self.errors:
                    self.errors.append(words)
        cancelled = bool(result.extra.get("cancelled")) if isinstance(result.extra, dict) else False
        cancelled = cancelled or any(isinstance(e, CodeError) and e.stage == "cancel" for e in result.errors or [])
        total = sum(v for v in (result.timings or {}).values() if isinstance(v, (int, float)))
        total = total or (self.clock() - self._started)
        if result.ok:
            self.status = "ok"
            bits = [f"Done in {_fmt_seconds(total)}."]
            if result.video:
                bits.append("The video is on the right; the code, study notes and files are in the tabs below it.")
            if result.fixes:
                n = len(result.fixes)
                bits.append(f"Sanitize fixed {n} thing{'s' if n != 1 else ''} in the code.")
            if self.round:
                bits.append(f"It took {self.round} repair round{'s' if self.round != 1 else ''}.")
            bits.append("Ask for a change (\"make the dots red\", \"slower\") to refine this scene.")
            self._append({"role": "assistant", "content": " ".join(bits)})
        elif cancelled:
            self.status = "cancelled"
            self._append({"role": "assistant", "content": "Cancelled. Nothing more is running for this job."})
        else:
            self.status = "failed"
            reasons = "\n".join(f"- {e}" for e in dict.fromkeys(self.errors)) or "- (no details)"
            tail = ("You can edit the code in the Code tab and press **Render this code**, or rephrase "
                    "the request." if self.code else "Try rephrasing the request or check the Settings.")
            self._append({"role": "assistant",
                          "content": f"**This did not work.**\n{reasons}\n\n{tail}"})

    # --- outputs ----------------------------------------------------------------------------------
    def fail(self, message: str, stage: str = "app") -> None:
        """An error outside the pipeline (bad input, internal error): say it, end the job."""
        self.apply(Failed(stage, message))
        self._finished(JobResult(ok=False, errors=[CodeError(stage, message)]))

    def cancel(self) -> None:
        """The person pressed Cancel: close pending bubbles and say so (once)."""
        if self.status != "running":
            return
        res = JobResult(ok=False, errors=[CodeError("cancel", "cancelled by the user")])
        res.extra["cancelled"] = True
        self._finished(res)

    def downloads(self) -> list:
        out = []
        seen = set()
        for kind in DOWNLOAD_ORDER + tuple(sorted(self.files)):
            p = self.files.get(kind)
            if p and p not in seen and Path(p).is_file():
                seen.add(p)
                out.append(p)
        return out

    def take_dirty(self) -> set:
        d, self.dirty = self.dirty, set()
        return d
