"""A lesson's storyboard: read from a model's answer, checked, saved and read back; and the source documents
a lesson can follow (Markdown, LaTeX, plain text).

The plan is data (`events.Storyboard`): `parse` finds it in an answer (a ```json block, or the first JSON
object), `check` bounds it (3 to 8 scenes, or exactly the number asked for), `save`/`load` keep it as
storyboard.json in the lesson's folder, where a person may edit it before rendering it again.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from text_to_manim.events import Storyboard
from text_to_manim.generate.prompts import LESSON_MAX_SCENES, LESSON_MIN_SCENES
from text_to_manim.tex import latex

STORYBOARD_FILE = "storyboard.json"
NO_JSON = "the answer holds no JSON storyboard (expected a ```json block with title, audience and scenes)"
BAD_JSON = "the storyboard is not valid JSON: {error}"
SCENE_COUNT = "the storyboard has {n} scene(s); a lesson has {lo} to {hi}"
SCENES_RANGE = f"--scenes must be between {LESSON_MIN_SCENES} and {LESSON_MAX_SCENES}"
BAD_PDF = ("{name}: its text could not be read ({error}). Save the document as Markdown, LaTeX or plain text "
           "(e.g. `pdftotext FILE.pdf FILE.txt`) and give that file instead")
NO_PDF_TEXT = ("{name}: the PDF holds no text (a scan?). Save its text as Markdown or plain text and give that "
               "file instead")
PDF_MAX_PAGES = 60  # a lesson's source: the first pages of a longer paper
UNKNOWN_DOC = "{name}: give a Markdown (.md), LaTeX (.tex), plain-text (.txt) or PDF file"
NO_DOC = "{name}: no such file"
EMPTY_DOC = "{name}: the document is empty"
DOC_MAX_BYTES = 2 * 1024 * 1024  # a lesson's source, not a book
FENCED = re.compile(r"```(?:json|JSON)?\s*\n(.*?)```", re.S)


class StoryboardError(ValueError):
    """The plan cannot be used; the message says why (it goes back to the model once)."""


def parse(answer: str) -> Storyboard:
    """The storyboard in a model's answer: a fenced JSON block, else the outermost {...} of the answer."""
    candidates = [m.group(1) for m in FENCED.finditer(answer)]
    start, end = answer.find("{"), answer.rfind("}")
    if start >= 0 and end > start:
        candidates.append(answer[start:end + 1])
    if not candidates:
        raise StoryboardError(NO_JSON)
    error = ""
    for text in candidates:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            error = error or BAD_JSON.format(error=exc)
            continue
        if isinstance(data, dict) and "scenes" in data:
            try:
                return Storyboard.from_json(data)
            except ValueError as exc:
                raise StoryboardError(str(exc)) from None
    raise StoryboardError(error or NO_JSON)


def check(board: Storyboard, scenes: Optional[int] = None) -> Storyboard:
    """Bound the plan: more scenes than asked for are cut (the first ones stay); too few is an error."""
    hi = scenes or LESSON_MAX_SCENES
    if len(board.scenes) > hi:
        board = replace(board, scenes=board.scenes[:hi])
    if len(board.scenes) < min(LESSON_MIN_SCENES, hi):
        raise StoryboardError(SCENE_COUNT.format(n=len(board.scenes), lo=LESSON_MIN_SCENES, hi=LESSON_MAX_SCENES))
    return board


def check_given(board: Storyboard) -> Storyboard:
    """A plan a person wrote or edited: never cut (that would lose their work), refused outside 3 to 8 scenes."""
    if not LESSON_MIN_SCENES <= len(board.scenes) <= LESSON_MAX_SCENES:
        raise StoryboardError(SCENE_COUNT.format(n=len(board.scenes), lo=LESSON_MIN_SCENES, hi=LESSON_MAX_SCENES))
    return board


def clamp_scenes(n: Optional[int]) -> Optional[int]:
    if n is None:
        return None
    if not LESSON_MIN_SCENES <= n <= LESSON_MAX_SCENES:
        raise StoryboardError(SCENES_RANGE)
    return n


def save(board: Storyboard, folder: Path) -> Path:
    path = Path(folder) / STORYBOARD_FILE
    path.write_text(json.dumps(board.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(path: Path) -> Storyboard:
    """A saved (perhaps edited) storyboard; StoryboardError saying what is wrong with it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise StoryboardError(f"{path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise StoryboardError(f"{path}: " + BAD_JSON.format(error=exc)) from None
    try:
        return check_given(Storyboard.from_json(data))
    except ValueError as exc:
        raise StoryboardError(f"{path}: {exc}") from None


# ------------------------------------------------------------------------------------------ documents
@dataclass(frozen=True)
class Section:
    title: str
    text: str
    formulas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def summary(self, limit: int = 6000) -> str:
        """The document as the storyboard prompt gets it: section titles, their start, their formulas."""
        out = [f"Document: {self.title}"]
        for s in self.sections:
            out.append(f"## {s.title}\n{s.text[:600]}")
            if s.formulas:
                out.append("Formulas: " + "; ".join(f"$${f}$$" for f in s.formulas))
        return "\n".join(out)[:limit]


MD_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$", re.M)
TEX_SECTION = re.compile(r"\\(?:sub)?section\*?\{([^}]*)\}")
TEX_TITLE = re.compile(r"\\title\{([^}]*)\}")


def read_document(path: Path) -> Document:
    """A lesson's source document, split into its sections; StoryboardError for what cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".md", ".markdown", ".tex", ".txt", ".text", ".pdf", ""):
        raise StoryboardError(UNKNOWN_DOC.format(name=path.name))
    if not path.is_file():
        raise StoryboardError(NO_DOC.format(name=path))
    if suffix == ".pdf":
        return _numbered(pdf_text(path), path.stem)
    raw = path.read_bytes()[:DOC_MAX_BYTES]
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        raise StoryboardError(EMPTY_DOC.format(name=path.name))
    if suffix == ".tex":
        return _split(text, TEX_SECTION, TEX_TITLE, path.stem, body_from=r"\begin{document}")
    if suffix in (".md", ".markdown"):
        return _split(text, MD_HEADING, None, path.stem)
    return _plain(text, path.stem)


def pdf_text(path: Path) -> str:
    """The text of a PDF's first PDF_MAX_PAGES pages (pypdf), at most DOC_MAX_BYTES of it."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    out, size = [], 0
    try:
        reader = PdfReader(str(path))
        for page in reader.pages[:PDF_MAX_PAGES]:
            text = page.extract_text() or ""
            out.append(text)
            size += len(text)
            if size > DOC_MAX_BYTES:
                break
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise StoryboardError(BAD_PDF.format(name=path.name, error=f"{type(exc).__name__}: {exc}"[:200])) from None
    text = "\n".join(out)[:DOC_MAX_BYTES]
    if not text.strip():
        raise StoryboardError(NO_PDF_TEXT.format(name=path.name))
    return text


# A paper's numbered headings as text extraction gives them: "1 Introduction", "2.1 The update rule".
NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\.?\s+([A-Z][^\n]{2,70}?)\s*$", re.M)


def _numbered(text: str, fallback: str) -> Document:
    """A PDF's text: its numbered headings are the sections (the first line, the title); else as plain text."""
    marks = [m for m in NUMBERED_HEADING.finditer(text) if not m.group(2).rstrip().endswith((".", ",", ";"))]
    if len(marks) < 2:
        return _plain(text, fallback)
    first = text[:marks[0].start()].strip().splitlines()
    title = first[0].strip()[:80] if first else fallback
    sections = [_section(m.group(2), text[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(text)])
                for i, m in enumerate(marks)]
    return Document(title or fallback, tuple(sections))


def _section(title: str, body: str) -> Section:
    return Section(title.strip(), body.strip(), tuple(latex.find_formulas(body)[:3]))


def _split(text: str, heading: re.Pattern, title_re: Optional[re.Pattern], fallback: str,
           body_from: str = "") -> Document:
    m = title_re.search(text) if title_re else None
    title = m.group(1).strip() if m else ""
    if body_from and body_from in text:
        text = text.split(body_from, 1)[1]
    marks = list(heading.finditer(text))
    top = [mk for mk in marks if heading is not MD_HEADING or len(mk.group(1)) == 1]
    if heading is MD_HEADING and len(top) == 1 and len(marks) > 1:  # "# Title" then "## Sections"
        title = title or top[0].group(2)
        marks = [mk for mk in marks if mk is not top[0]]
    sections = []
    for i, mk in enumerate(marks):
        body = text[mk.end(): marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        sections.append(_section(mk.group(mk.lastindex or 1), body))
    if not sections:
        return _plain(text, fallback)
    return Document(title or fallback, tuple(sections))


def _plain(text: str, fallback: str) -> Document:
    """Plain text: the first line is the title, each paragraph a section named by its first words."""
    lines = text.strip().splitlines()
    title = lines[0].strip()[:80] if lines else fallback
    paras = [p.strip() for p in re.split(r"\n\s*\n", "\n".join(lines[1:])) if p.strip()]
    sections = [_section(" ".join(p.split()[:6]).rstrip(".,:;"), p) for p in paras]
    return Document(title or fallback, tuple(sections))


# ------------------------------------------------------------------------------------- while it streams
HEAD_FIELD = r'"{name}"\s*:\s*"((?:[^"\\]|\\.)*)"'


def streamed_head(text: str) -> tuple[str, str]:
    """The plan's title and audience as soon as they have streamed (before its scenes): ("", "") until then."""
    head = text.split('"scenes"', 1)[0]
    out = []
    for name in ("title", "audience"):
        m = re.search(HEAD_FIELD.format(name=name), head)
        try:
            out.append(str(json.loads(f'"{m.group(1)}"')) if m else "")
        except json.JSONDecodeError:
            out.append("")
    return out[0], out[1]


def streamed_scenes(text: str) -> list:
    """The scenes of a plan still streaming whose JSON objects are complete, in order (a scene's job can
    start before the plan ends). Scenes that do not read as a scene end the list."""
    key = text.find('"scenes"')
    start = text.find("[", key) if key >= 0 else -1
    if start < 0:
        return []
    scenes, depth, begin, in_string, escaped = [], 0, -1, False, False
    for i in range(start + 1, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
            begin = i if depth == 1 else begin
        elif ch == "}":
            depth -= 1
            if depth == 0:
                try:
                    scenes.append(Storyboard.from_json({"scenes": [json.loads(text[begin:i + 1])]}).scenes[0])
                except ValueError:  # also json.JSONDecodeError
                    break
        elif ch == "]" and depth == 0:
            break
    return scenes
