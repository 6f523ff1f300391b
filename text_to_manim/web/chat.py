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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

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
    CodeDelta,
    CodeError,
    Failed,
    Finished,
    JobResult,
    NotesDelta,
    Progress,
    ReasoningDelta,
    StageFinished,
    StageStarted,
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
    ERROR_REPAIR: "Repair from the error",
    PLAN: "Storyboard",  # a lesson's plan (web/lesson_view.py)
    STITCH: "Stitch the lesson",
}
THINKING = "Thinking"
PARTIAL_VIDEO = (" The video on the right is partial: it holds the {n} animation{s} before the one that fails "
                 "(animation {at}); what comes after is missing.")
DOWNLOAD_ORDER = ("video", "image", "gif", "webm", "code", "notes_md", "notes_tex", "notes_pdf", "log")


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


def _humane(stage: str, detail: str) -> str:
    """Stage details as a person would say them ("0 fix(es)" -> "no fixes needed")."""
    m = re.match(r"^(\d+) fix\(es\)(.*)$", detail, re.S)
    if m:
        n = int(m.group(1))
        return ("no fixes needed" if n == 0 else f"{n} fix{'es' if n != 1 else ''}") + m.group(2)
    if stage == POLICY and detail == "ok":
        return "passed"
    return re.sub(r"(^|: )1 (\w+)\(s\)", r"\g<1>1 \2", detail).replace("(s)", "s")


def fmt_seconds(s: float) -> str:
    if s < 59.95:
        return f"{s:.1f} s"
    m, sec = divmod(int(round(s)), 60)
    return f"{m} min {sec} s"


@dataclass
class ChatView:
    """The state of one job's view, built from events. `messages` continues the session's chat."""

    messages: list = field(default_factory=list)
    base_url: str = ""
    secrets: list = field(default_factory=list)  # strings never to show (a key typed in the browser)
    clock: Callable[[], float] = time.monotonic
    video: Optional[str] = None
    preview: Optional[str] = None
    code: str = ""
    final_code: bool = False  # True once this round's sanitized code file (Artifact "code") arrived
    notes: str = ""
    files: dict = field(default_factory=dict)  # kind -> path
    progress: Optional[tuple] = None  # (stage, done, total)
    status: str = "idle"  # idle | running | ok | failed | cancelled
    result: Optional[JobResult] = None
    errors: list = field(default_factory=list)  # plain-words strings, every failure seen
    round: int = 0  # repair round (0 = first attempt)
    stage: str = ""  # what is running now, in words ("Validate scene"), for the status line
    # which parts changed since the last `take_dirty()` (so the app only re-sends what changed)
    dirty: set = field(default_factory=set)

    _open: dict = field(default_factory=dict)  # stage -> index of its pending bubble
    _failed_at: set = field(default_factory=set)  # indices of bubbles that carry a failure
    _t0: dict = field(default_factory=dict)  # message index -> clock at start
    _thinking: Optional[int] = None
    _code_msg: Optional[int] = None
    _code_stream: str = ""
    _code_title: str = "Code"
    _notes_stream: bool = False
    _started: float = 0.0

    # --- starting ---------------------------------------------------------------------------------
    def start(self, prompt: str) -> ChatView:
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

    def _update(self, i: int, *, title: Optional[str] = None, content: Optional[str] = None,
                done: bool = False, seconds: Optional[float] = None) -> None:
        """Replace message i (never mutate it: the app may be sending the previous list)."""
        if i is None or i >= len(self.messages):
            return
        msg = dict(self.messages[i])
        if "metadata" in msg:
            meta = dict(msg["metadata"])
            if title is not None:
                meta["title"] = title
            if done and meta.get("status") != "done":
                meta["status"] = "done"
                if seconds is None:
                    seconds = self.clock() - self._t0.get(i, self.clock())
                meta["duration"] = round(max(seconds, 0.0), 2)
            msg["metadata"] = meta
        if content is not None:
            msg["content"] = content
        self.messages[i] = msg
        self.dirty.add("chat")

    def _round_suffix(self) -> str:
        return f" · round {self.round + 1}" if self.round else ""

    def _close_thinking(self) -> None:
        if self._thinking is not None:
            self._update(self._thinking, done=True)
            self._thinking = None

    def _fold_code(self) -> None:
        """The streamed code block becomes a collapsed bubble (the Code tab holds the code)."""
        if self._code_msg is None:
            return
        n = len(self._code_stream.strip().splitlines())
        i = self._code_msg
        self.messages[i] = {"role": "assistant", "content": self._code_markdown(),
                            "metadata": {"title": f"{self._code_title} · {n} line{'s' if n != 1 else ''}",
                                         "status": "done"}}
        self.dirty.add("chat")
        self._code_msg = None

    def _code_markdown(self) -> str:
        text = self._code_stream
        if "```" in text:  # the model's own fenced answer: show it as it is
            return text
        return f"```python\n{text.rstrip()}\n```"

    def _scrub(self, text: str) -> str:
        for secret in self.secrets:
            if secret and len(secret) >= 4:
                text = text.replace(secret, "***")
        return text

    # --- the reducer ------------------------------------------------------------------------------
    def apply(self, ev) -> None:
        if isinstance(ev, ReasoningDelta):
            if not ev.text:
                return
            if self._thinking is None:
                title = THINKING + (f" (repair round {self.round})" if self.round else "")
                self._thinking = self._bubble(title)
            think = self._thinking
            self._update(think, content=self.messages[think]["content"] + self._scrub(ev.text))
        elif isinstance(ev, CodeDelta):
            if not ev.text:
                return
            self._close_thinking()
            if self._code_msg is None:
                self._code_stream = ""
                self._code_msg = self._append({"role": "assistant", "content": ""})
            self._code_stream += ev.text
            self._update(self._code_msg, content=self._code_markdown())
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
            if i is not None and ev.total and i not in self._failed_at:
                self._update(i, content=f"animation {ev.done} of {ev.total}")
        elif isinstance(ev, Artifact):
            self._artifact(ev)
        elif isinstance(ev, Failed):
            self._failed(ev)
        elif isinstance(ev, Finished):
            self._finished(ev.result)

    def _stage_started(self, ev: StageStarted) -> None:
        self.stage = THINKING if ev.stage == GENERATE else stage_title(ev.stage)
        self.dirty.add("status")
        if ev.stage in (GENERATE, REPAIR):
            # a fresh answer: new thinking bubble, new code block, the code box follows the stream again
            self._close_thinking()
            self._fold_code()
            self.final_code = False
            self._notes_stream = False
            detail = ev.detail or ""
            self._code_title = "Code"
            if detail.startswith("gallery scene"):
                self._code_title = detail[0].upper() + detail[1:]
            if ev.stage == GENERATE:
                return
            self.round += 1
        else:
            self._fold_code()
        prev = self._open.pop(ev.stage, None)
        if prev is not None:
            self._update(prev, done=True)
        if ev.stage == REPAIR:
            title, body = f"Repair round {self.round}", self._scrub(ev.detail or "")
        else:
            title, body = stage_title(ev.stage) + self._round_suffix(), ev.detail or ""
        self._open[ev.stage] = self._bubble(title, body)
        if ev.stage == RENDER:
            self.progress = (RENDER, 0, 0)
            self.dirty.add("progress")

    def _stage_finished(self, ev: StageFinished) -> None:
        if ev.stage in (GENERATE, REPAIR):
            self._close_thinking()
            self._fold_code()
            if ev.stage == GENERATE:
                return
        i = self._open.pop(ev.stage, None)
        if i is None:  # a stage that finished without a start event: still show it
            i = self._bubble(stage_title(ev.stage) + self._round_suffix())
        msg = self.messages[i]
        title = msg["metadata"]["title"]
        body = msg.get("content") or ""
        failed = i in self._failed_at
        detail = _humane(ev.stage, self._scrub(ev.detail or ""))
        if failed:
            title = "✗ " + title + (f" · {detail}" if detail and detail != "failed" and len(detail) <= 40 else " · failed")
        elif detail:
            short = detail if len(detail) <= 70 else detail.split(":")[0][:60] + " …"
            title = f"{title} · {short}"
            if short != detail:
                body = (body + "\n\n" if body else "") + detail
        self._update(i, title=title, content=body, done=True, seconds=ev.seconds)
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
        elif ev.kind in ("preview", "image"):  # a still (the scene never animates) shows where the preview does
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
        if ev.stage == "cancel":
            return  # Finished says it, once
        line = ev.line or (ev.error.line if isinstance(ev.error, CodeError) else None)
        words = self._scrub(plain_error(ev.stage, ev.message, line, self.base_url))
        src = ev.error.source_line if isinstance(ev.error, CodeError) else ""
        text = f"{words}\n\n```python\n{src}\n```" if src else words
        retry = "retrying in" in (ev.message or "")
        if not retry:
            self.errors.append(words)
        # the failure goes into the bubble of the stage it belongs to (or the one running now)
        i = self._open.get(ev.stage)
        if i is None and ev.stage in (VALIDATE, LAYOUT, RENDER, POLICY) and self._open:
            i = self._open.get(VALIDATE if ev.stage == LAYOUT else ev.stage)
        if i is not None and not retry:
            body = self.messages[i].get("content") or ""
            if i not in self._failed_at:
                body = ""  # "running the scene without frames" etc. is replaced by what went wrong
            self._failed_at.add(i)
            self._update(i, content=(body + "\n\n" if body else "") + text)
            return
        raw = self._scrub((ev.message or "").strip())
        short = raw if len(raw) <= 60 else raw[:57].rstrip() + "…"
        title = f"{stage_title(ev.stage)}{self._round_suffix()} · " + ("retrying" if retry else short)
        if not retry:
            title = "✗ " + title
        j = self._bubble(title, text)
        self._update(j, done=True, seconds=0.0)
        if ev.stage == GENERATE and not retry:
            self._close_thinking()

    def _finished(self, result) -> None:
        self.stage = ""
        stopped = isinstance(result, JobResult) and result.status == "cancelled"
        for i in list(self._open.values()):
            title = self.messages[i]["metadata"]["title"] + (" · cancelled" if stopped else "")
            self._update(i, title=title, done=True)
        self._open.clear()
        self._close_thinking()
        self._fold_code()
        self.progress = None
        self.dirty |= {"progress", "status"}
        if not isinstance(result, JobResult):
            return
        self.result = result
        if not self.notes and self.status == "running":
            self.notes = "*No study notes for this job.*"
            self.dirty.add("notes")
        for kind in ("video", "preview", "image", "code", "log", "notes_md", "notes_tex", "notes_pdf"):
            p = getattr(result, kind, None)
            if p and self.files.get(kind) != str(p):
                self._artifact(Artifact(kind, Path(p)))
        cancelled = stopped or any(
            isinstance(e, CodeError) and e.stage == "cancel" for e in result.errors or [])
        timings = result.timings or {}
        total = timings.get("total") or sum(v for v in timings.values() if isinstance(v, (int, float)))
        total = total or (self.clock() - self._started)
        if result.ok:
            self.status = "ok"
            bits = [f"Done in {fmt_seconds(total)}."]
            if result.video:
                bits.append("The video is on the right; the study notes, code and files are in the tabs below it.")
            elif result.image:
                bits.append("The scene never animates, so it is a still image (as plain manim makes it), on the "
                            "right; add self.play or self.wait to get a video.")
            if result.fixes:
                n = len(result.fixes)
                bits.append(f"Sanitize fixed {n} thing{'s' if n != 1 else ''} in the code.")
            if self.round:
                bits.append(f"It took {self.round} repair round{'s' if self.round != 1 else ''}.")
            warns = [w.stage for w in result.warnings]
            for stage, where in ((LAYOUT, VALIDATE), (POLICY, POLICY)):
                n = warns.count(stage)
                if n:
                    bits.append(f"{stage_title(stage)}: {n} warning{'s' if n != 1 else ''} (see {stage_title(where)}).")
            bits.append("Ask for a change (\"make the dots red\", \"slower\") to refine this scene.")
            self._append({"role": "assistant", "content": " ".join(bits)})
        elif cancelled:
            self.status = "cancelled"
            self._append({"role": "assistant", "content": "Cancelled. Nothing more is running for this job."})
        else:
            self.status = "partial" if result.partial and result.video else "failed"
            final = [self._scrub(plain_error(e.stage, e.message, e.line, self.base_url))
                     for e in result.errors or [] if isinstance(e, CodeError)]
            reasons = list(dict.fromkeys(final or self.errors))[:6]
            lines = "\n".join(f"- {r}" for r in reasons) or "- (no details)"
            why = self._scrub(result.message)
            head = "**This did not work**" + (f" ({why})." if why and why not in lines else ".")
            if self.status == "partial" and result.partial:
                p = result.partial
                head += PARTIAL_VIDEO.format(n=p.animations, s="s" if p.animations != 1 else "", at=p.failed_at)
            tail = ("You can edit the code in the Code tab and press **Render this code**, or rephrase "
                    "the request." if self.code else "Try rephrasing the request or check the Settings.")
            self._append({"role": "assistant", "content": f"{head}\n{lines}\n\n{tail}"})

    # --- outputs ----------------------------------------------------------------------------------
    def fail(self, message: str, stage: str = "app") -> None:
        """An error outside the pipeline (bad input, internal error): say it, end the job."""
        self.apply(Failed(stage, message))
        self._finished(JobResult(ok=False, errors=[CodeError(stage, message)]))

    def cancel(self) -> None:
        """The person pressed Cancel and the pipeline is slow to stop: close pending bubbles, say so once."""
        if self.status != "running":
            return
        self._finished(JobResult(ok=False, errors=[CodeError("cancel", "cancelled by the user")], status="cancelled"))

    def downloads(self) -> list:
        out = []
        seen = set()
        for kind in DOWNLOAD_ORDER + tuple(sorted(self.files)):
            p = self.files.get(kind)
            if kind == "preview":
                continue
            if p and p not in seen and Path(p).is_file():
                seen.add(p)
                out.append(p)
        return out

    def notes_files(self) -> list:
        return [self.files[k] for k in ("notes_md", "notes_tex", "notes_pdf")
                if self.files.get(k) and Path(self.files[k]).is_file()]

    def take_dirty(self) -> set:
        d, self.dirty = self.dirty, set()
        return d
