"""The notes step: study notes written (or copied from the gallery) as .md and .tex, the PDF built in the
background while the scene renders, and collected at the end of the job."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from text_to_manim.events import NOTES, Artifact, Event, StageFinished, StageStarted
from text_to_manim.pipeline import notes as notes_mod
from text_to_manim.pipeline.state import JobState

PDF_WAIT_SECONDS = 120


def write_notes(st: JobState, md: str, *, md_src: Optional[Path] = None, tex_src: Optional[Path] = None) -> Iterator[Event]:
    if not md.strip() and not md_src:
        return
    t = time.monotonic()
    yield StageStarted(NOTES)
    if md_src or tex_src:
        paths = notes_mod.copy_docs(st.job.dir, md_src, tex_src)
        if "notes_md" not in paths and md.strip():
            paths.update(notes_mod.write(st.job.dir, md))
    else:
        paths = notes_mod.write(st.job.dir, md)
    st.notes_md_text = md
    st.result.notes_md = paths.get("notes_md")
    st.result.notes_tex = paths.get("notes_tex")
    for kind in ("notes_md", "notes_tex"):
        if paths.get(kind):
            yield Artifact(kind, paths[kind])
    start_pdf(st)
    secs = time.monotonic() - t
    st.add_time(NOTES, secs)
    yield StageFinished(NOTES, secs, "notes.md, notes.tex" + (", notes.pdf building" if st.pdf else ""))


def start_pdf(st: JobState) -> None:
    """The notes' PDF made in the background, when the job wants one and pdflatex is there; notes written
    again (a repair round's, the transcript) are made after the build before them (one pdflatex at a time),
    without waiting here."""
    tex = st.result.notes_tex
    if tex is not None and st.req.notes_pdf and notes_mod.pdflatex_available():
        st.pdf = notes_mod.PdfBuild(tex, after=st.pdf.thread if st.pdf is not None else None)


def finish_pdf(st: JobState) -> Iterator[Event]:
    if st.pdf is None:
        return
    st.pdf.thread.join(timeout=PDF_WAIT_SECONDS)
    if st.pdf.pdf:
        st.result.notes_pdf = st.pdf.pdf
        yield Artifact("notes_pdf", st.pdf.pdf)
    elif st.pdf.error:
        yield st.fail(NOTES, f"notes.pdf: {st.pdf.error}", kind="pdflatex")
