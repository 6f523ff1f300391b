"""Find the scene code and the study notes in a model's answer, live and at the end.

- `LiveSplitter` turns streamed answer text into CodeDelta / NotesDelta / ReasoningDelta as it arrives:
  an opening python fence switches to code, its closing fence (same backtick count) back out, a
  "## Notes" heading (or similar) to notes. It is only for display.
- `extract(text)` is authoritative: the last fenced python block that defines a Scene (the closing fence
  must match the opening one's backticks), or several blocks joined when they only make a scene together,
  or code without any fence; and the notes section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from text_to_manim import syntax
from text_to_manim.events import CodeDelta, NotesDelta, ReasoningDelta

FENCE_RE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+.#-]*)[^\n`]*$")
NOTES_RE = re.compile(
    r"^[ \t]{0,3}(?:#{1,4}[ \t]*(?:study[ \t]+)?notes\b.*|\*\*(?:study[ \t]+)?notes:?\*\*:?[ \t]*|"
    r"(?:study[ \t]+)?notes:[ \t]*|<notes>)[ \t]*$", re.I)
CODE_HEADING_RE = re.compile(r"^[ \t]{0,3}(?:#{1,4}[ \t]*code\b.*|\*\*code:?\*\*:?)[ \t]*$", re.I)
PY_LANGS = {"python", "py", "python3", "py3", "manim", ""}
SCENE_RE = re.compile(r"^\s*class\s+\w+\s*\(([^)]*)\)\s*:", re.M)
CODE_START_RE = re.compile(r"^(from\s+\S+\s+import|import\s+\w|class\s+\w+.*:|#!|# -\*-)", re.M)


@dataclass
class Extracted:
    code: str = ""
    notes: str = ""
    blocks: int = 0  # python blocks found
    how: str = ""  # "fenced", "joined", "unfenced", "unterminated", ""
    prose: str = ""  # everything that is neither code nor notes

    @property
    def ok(self) -> bool:
        return bool(self.code.strip())


@dataclass
class _Block:
    lang: str
    body: str
    start: int  # line index of the opening fence
    end: int  # line index of the closing fence (len(lines) if unterminated)
    terminated: bool = True


def _blocks(lines: list[str]) -> list[_Block]:
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group("fence"), m.group("lang").lower()
        j = i + 1
        close = re.compile(rf"^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        blocks.append(_Block(lang, "\n".join(lines[i + 1:j]), i, j, terminated=j < len(lines)))
        i = j + 1
    return blocks


def _defines_scene(code: str) -> bool:
    return any("Scene" in bases for bases in SCENE_RE.findall(code))


def _parses(code: str) -> bool:
    try:
        syntax.parse(code)
        return True
    except (SyntaxError, ValueError):
        return False


def _looks_python(b: _Block) -> bool:
    if b.lang in PY_LANGS - {""}:
        return True
    if b.lang:
        return False
    return bool(CODE_START_RE.search(b.body) or re.search(r"\bdef\s+\w+\(|self\.play\(", b.body))


def _notes_span(lines: list[str], blocks: list[_Block]) -> Optional[int]:
    """Index of the notes heading line outside any fenced block, or None."""
    inside: set[int] = set()
    for b in blocks:
        inside.update(range(b.start, b.end + 1))
    for i, line in enumerate(lines):
        if i not in inside and NOTES_RE.match(line):
            return i
    return None


def extract(text: str) -> Extracted:
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    blocks = _blocks(lines)
    notes_at = _notes_span(lines, blocks)
    notes = ""
    if notes_at is not None:
        body = lines[notes_at + 1:]
        if lines[notes_at].strip().lower() == "<notes>":
            body = "\n".join(body).split("</notes>", 1)[0].split("\n")
        notes = "\n".join(body).strip()
    # Code before the notes heading wins; a python example inside the notes is not the scene.
    pre = [b for b in blocks if notes_at is None or b.start < notes_at]
    py = [b for b in pre if _looks_python(b)] or [b for b in blocks if _looks_python(b)]
    out = Extracted(notes=notes, blocks=len(py))
    if py:
        scene_blocks = [b for b in py if _defines_scene(b.body)]
        if scene_blocks:
            best = scene_blocks[-1]
            out.code, out.how = best.body, "fenced" if best.terminated else "unterminated"
            # A scene block that leans on an earlier block (helpers, imports) gets it joined in front.
            if len(py) > 1 and not re.search(r"^\s*(from|import)\s", best.body, re.M):
                joined = "\n\n".join(b.body for b in py if b.start <= best.start)
                if _parses(joined):
                    out.code, out.how = joined, "joined"
        else:
            joined = "\n\n".join(b.body for b in py)
            if _defines_scene(joined) or len(py) > 1:
                out.code, out.how = joined, "joined"
            else:
                out.code, out.how = py[-1].body, "fenced" if py[-1].terminated else "unterminated"
    else:
        # No fence: code written straight into the answer.
        head = "\n".join(lines[:notes_at] if notes_at is not None else lines)
        m = CODE_START_RE.search(head)
        if m and (_defines_scene(head) or "manim" in head):
            cand = head[m.start():]
            cand_lines = cand.split("\n")
            # Trim trailing prose: keep up to the last line that parses as part of the module.
            for cut in range(len(cand_lines), 0, -1):
                piece = "\n".join(cand_lines[:cut])
                if _parses(piece):
                    out.code = piece
                    break
            else:
                out.code = cand
            out.how = "unfenced"
    out.code = out.code.strip("\n") + ("\n" if out.code.strip() else "")
    used: set[int] = set()
    for b in py:
        used.update(range(b.start, b.end + 1))
    prose_end = notes_at if notes_at is not None else len(lines)
    out.prose = "\n".join(l for i, l in enumerate(lines[:prose_end])
                          if i not in used and not CODE_HEADING_RE.match(l)).strip()
    return out


class LiveSplitter:
    """Split streamed answer text into display deltas; feed() returns events for what arrived."""

    def __init__(self) -> None:
        self.state = "prose"  # prose | code | notes | other_block
        self.fence = ""
        self.line = ""  # the current, incomplete line
        self.emitted = 0  # characters of self.line already emitted

    def _kind(self):
        return {"code": CodeDelta, "notes": NotesDelta}.get(self.state, ReasoningDelta)

    def _held(self, line: str) -> bool:
        """Could this partial line still turn into a fence or a heading? Then hold it back."""
        s = line.lstrip(" \t")
        if self.state == "notes":
            return False
        if self.state in ("code", "other_block"):
            return s.startswith(self.fence[0]) if s else False
        return s.startswith(("`", "~", "#", "*", "<")) or (s and "notes:".startswith(s.lower()[:6])) \
            or (s[:6].lower() == "notes:")

    def _complete_line(self, line: str) -> list:
        """Handle a whole line (without its newline); return the events for what was not emitted yet."""
        out: list[ReasoningDelta | CodeDelta | NotesDelta] = []
        stripped = line.strip()
        rest = line[self.emitted:] + "\n"
        if self.state == "prose":
            m = FENCE_RE.match(line)
            if m:
                self.fence = m.group("fence")
                lang = m.group("lang").lower()
                self.state = "code" if lang in PY_LANGS else "other_block"
                if self.state == "other_block":
                    out.append(ReasoningDelta(rest))
                return out
            if NOTES_RE.match(line):
                self.state = "notes"
                return out
            if CODE_HEADING_RE.match(line):
                return out
            if stripped or self.emitted:
                out.append(ReasoningDelta(rest))
            return out
        if self.state in ("code", "other_block"):
            if re.match(rf"^[ \t]{{0,3}}{re.escape(self.fence[0])}{{{len(self.fence)},}}[ \t]*$", line):
                was = self.state
                self.state = "prose"
                if was == "other_block":
                    out.append(ReasoningDelta(rest))
                return out
            out.append(self._kind()(rest))
            return out
        out.append(NotesDelta(rest))  # notes run to the end
        return out

    def feed(self, text: str) -> list:
        out = []
        for piece in re.split(r"(\n)", text):
            if piece == "\n":
                out.extend(self._complete_line(self.line))
                self.line, self.emitted = "", 0
            elif piece:
                self.line += piece
                if not self._held(self.line):
                    new = self.line[self.emitted:]
                    if new:
                        out.append(self._kind()(new))
                        self.emitted = len(self.line)
        return [e for e in out if e.text]

    def flush(self) -> list:
        if not self.line:
            return []
        line, self.line = self.line, ""
        if self.state in ("code", "other_block") and re.match(
                rf"^[ \t]{{0,3}}{re.escape(self.fence[0])}{{{len(self.fence)},}}[ \t]*$", line):
            self.state = "prose"
            return []
        new = line[self.emitted:]
        self.emitted = 0
        return [self._kind()(new)] if new else []
