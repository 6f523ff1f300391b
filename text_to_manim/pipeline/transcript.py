"""The narration's transcript in the study notes: a "Transcript" section (each caption with its time) at
the end of notes.md and notes.tex, so notes.pdf has it too. A narrated scene with no notes gets notes that
hold the transcript alone."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from text_to_manim.events import NOTES, Artifact, Event
from text_to_manim.pipeline import notes as notes_mod
from text_to_manim.pipeline import notes_step
from text_to_manim.pipeline.state import JobState
from text_to_manim.speech import captions

HEADING = "Transcript"
END_DOCUMENT = r"\end{document}"


def _items(cues: list[captions.Cue]) -> str:
    return "\n".join(f"- **{captions.clock(c.start)}–{captions.clock(c.end)}** {c.text}" for c in cues) + "\n"


def markdown(cues: list[captions.Cue]) -> str:
    return f"\n\n## {HEADING}\n\n" + _items(cues)


def latex(cues: list[captions.Cue]) -> str:
    items = "\n".join(rf"\item[{captions.clock(c.start)}--{captions.clock(c.end)}] {notes_mod._escape_text(c.text)}"
                      for c in cues)
    return f"\n\\section*{{{HEADING}}}\n\\begin{{description}}\n{items}\n\\end{{description}}\n"


def add(st: JobState) -> Iterator[Event]:
    """After the render: the transcript into the notes (once), and their PDF made again."""
    srt = st.result.captions_srt
    if not srt or not Path(srt).is_file():
        return
    cues = captions.from_srt(Path(srt).read_text(encoding="utf-8"))
    if not cues:
        return
    md, tex = st.result.notes_md, st.result.notes_tex
    if md is None or not Path(md).is_file():
        paths = notes_mod.write(st.job.dir, f"# {HEADING}\n\n" + _items(cues))
        md, tex = paths["notes_md"], paths["notes_tex"]
        st.result.notes_md, st.result.notes_tex = md, tex
    else:
        text = Path(md).read_text(encoding="utf-8")
        if f"## {HEADING}" not in text:
            Path(md).write_text(text.rstrip() + markdown(cues), encoding="utf-8")
        if tex is not None and Path(tex).is_file():
            body = Path(tex).read_text(encoding="utf-8")
            if END_DOCUMENT in body and HEADING not in body:
                head, _, tail = body.rpartition(END_DOCUMENT)
                Path(tex).write_text(head + latex(cues) + END_DOCUMENT + tail, encoding="utf-8")
    yield Artifact("notes_md", Path(md))
    if tex is not None:
        yield Artifact("notes_tex", Path(tex))
        if notes_mod.pdflatex_available():
            notes_step.start_pdf(st, Path(tex))  # waits for a PDF of the notes without it first
    st.job.log(f"{NOTES}: transcript of {len(cues)} caption(s) added")
