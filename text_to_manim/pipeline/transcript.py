"""The narration's transcript in the study notes: a "Transcript" section (each caption with its time) at
the end of notes.md and notes.tex, so notes.pdf has it too. A narrated scene with no notes gets notes that
hold the transcript alone."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from text_to_manim.events import NOTES, Artifact, Event
from text_to_manim.pipeline import notes as notes_mod
from text_to_manim.pipeline import notes_step
from text_to_manim.pipeline.state import JobState
from text_to_manim.speech import captions

HEADING = "Transcript"
END_DOCUMENT = r"\end{document}"
MD_MARK = f"\n\n## {HEADING}\n"  # how markdown() and latex() begin: where a section written before starts
TEX_MARK = f"\n\\section*{{{HEADING}}}"


def _items(cues: list[captions.Cue]) -> str:
    return "\n".join(f"- **{captions.clock(c.start)}–{captions.clock(c.end)}** {c.text}" for c in cues) + "\n"


def markdown(cues: list[captions.Cue]) -> str:
    return f"\n\n## {HEADING}\n\n" + _items(cues)


def latex(cues: list[captions.Cue]) -> str:
    items = "\n".join(rf"\item[{captions.clock(c.start)}--{captions.clock(c.end)}] {notes_mod._escape_text(c.text)}"
                      for c in cues)
    return f"\n\\section*{{{HEADING}}}\n\\begin{{description}}\n{items}\n\\end{{description}}\n"


def add(st: JobState) -> Iterator[Event]:
    """After the render: the transcript of its captions into the notes, and their PDF made again (after the
    render, not beside it: on a short render the PDF's CPU would delay the video, which matters more)."""
    srt = st.result.captions_srt
    cues = captions.from_srt(Path(srt).read_text(encoding="utf-8")) if srt and Path(srt).is_file() else []
    if not cues:
        return
    changed = _write(st, cues)
    if changed:
        notes_step.start_pdf(st)  # after the build before it
    if st.result.notes_md is not None:  # _write made them, if there were none
        yield Artifact("notes_md", Path(st.result.notes_md))
    if st.result.notes_tex is not None:
        yield Artifact("notes_tex", Path(st.result.notes_tex))
    st.job.log(f"{NOTES}: transcript of {len(cues)} caption(s) " + ("added" if changed else "there already"))


def _write(st: JobState, cues: list[captions.Cue]) -> bool:
    """The transcript as the notes' last section, in place of one written before; whether a file changed."""
    md = st.result.notes_md
    alone = f"# {HEADING}\n\n" + _items(cues)
    before = Path(md).read_text(encoding="utf-8") if md is not None and Path(md).is_file() else None
    if md is None or before is None or before.startswith(f"# {HEADING}\n"):
        if before == alone:
            return False
        paths = notes_mod.write(st.job.dir, alone)  # no notes of their own: the transcript alone
        st.result.notes_md, st.result.notes_tex = paths["notes_md"], paths["notes_tex"]
        return True
    changed = _rewrite(Path(md), lambda body: _without(body, MD_MARK).rstrip() + markdown(cues))

    def tex_with(body: str) -> str:
        if END_DOCUMENT not in body:  # not a document this step knows how to extend
            return body
        head, _, tail = body.rpartition(END_DOCUMENT)
        return _without(head, TEX_MARK) + latex(cues) + END_DOCUMENT + tail

    tex = st.result.notes_tex
    if tex is not None and Path(tex).is_file():
        changed |= _rewrite(Path(tex), tex_with)
    return changed


def _without(text: str, mark: str) -> str:
    """`text` up to its last transcript section (written by an earlier call), or all of it."""
    return text.rpartition(mark)[0] if mark in text else text


def _rewrite(path: Path, change: Callable[[str], str]) -> bool:
    body = path.read_text(encoding="utf-8")
    new = change(body)
    if new != body:
        path.write_text(new, encoding="utf-8")
    return new != body
