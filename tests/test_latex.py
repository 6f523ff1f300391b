"""The anchor stage: formulas found in prompts and compiled by real LaTeX in one batch."""
from __future__ import annotations

import re
import shutil
import time
import zlib
from pathlib import Path

import pytest

from text_to_manim.sandbox import fs as sandbox_fs
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.tex import latex

TEX_ENV = latex.tex_env


@pytest.mark.parametrize("prompt, expected", [
    ("explain $f(x)=x^2 \\sin x$ please", ["f(x)=x^2 \\sin x"]),
    ("the integral $$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$ and $a$", ["\\int_0^1 x^2\\,dx = \\frac{1}{3}", "a"]),
    ("\\[ e^{i\\pi} + 1 = 0 \\]", ["e^{i\\pi} + 1 = 0"]),
    ("\\begin{equation} E = mc^2 \\end{equation}", ["E = mc^2"]),
    ("explain \\int_0^1 x^2 dx in detail", ["\\int_0^1 x^2 dx"]),
    ("k-means clustering", []),
    ("it costs $5 and $6", []),
])
def test_find_formulas(prompt, expected):
    assert latex.find_formulas(prompt) == expected


def test_template_matches_manims():
    from manim import TexTemplate

    t = TexTemplate()
    assert t.documentclass == latex.DOCUMENTCLASS and t.preamble == latex.PREAMBLE


def test_one_batch_reports_tex_own_error_per_formula(tmp_path):
    formulas = [r"\frac{1}{2}", r"\fracc{1}{2} + \alpha", r"x^2 \sin x", r"\sqrt{x", r"a \\ b", r"\notacommand x"]
    t = time.monotonic()
    res = latex.compile_batch(formulas, tmp_path)
    assert time.monotonic() - t < 20
    assert [r.ok for r in res] == [True, False, True, False, True, False]
    assert res[1].error.startswith("! Undefined control sequence.") and "\\fracc" in res[1].error
    assert "l." in res[1].error  # TeX's own line marker
    assert "\\notacommand" in res[5].error
    assert "never closed" in res[3].error
    assert len(list(tmp_path.glob("anchor.tex"))) == 1  # one document, one run


def test_file_primitives_are_refused_without_running_tex(tmp_path):
    res = latex.compile_batch([r"\input{/etc/passwd}", r"\immediate\write18{ls}"], tmp_path)
    assert not any(r.ok for r in res)
    assert "not allowed" in res[0].error and not (tmp_path / "anchor.tex").exists()


def test_notes_markdown_to_tex_and_pdf(tmp_path):
    import shutil

    from text_to_manim.pipeline import notes

    md = ("# Circles\n\nArea $A = \\pi r^2$ for 50% of *all* cases & more.\n\n$$\\int_0^1 x\\,dx = \\tfrac12$$\n\n"
          "1. first\n2. second\n   - nested `code_x`\n\nEvil $\\input{/etc/passwd}$ stays inert.\n")
    paths = notes.write(tmp_path, md)
    tex = paths["notes_tex"].read_text()
    assert "\\title{Circles}" in tex and "$A = \\pi r^2$" in tex and "50\\%" in tex and "\\emph{all}" in tex
    assert "\\begin{enumerate}" in tex and "\\begin{itemize}" in tex and "\\texttt{code\\_x}" in tex
    assert "\\input{" not in tex
    if shutil.which("pdflatex"):
        pdf, err = notes.build_pdf(paths["notes_tex"])
        assert pdf and pdf.read_bytes().startswith(b"%PDF"), err
        assert b"root:" not in pdf.read_bytes()


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="needs pdflatex")
def test_notes_with_lists_get_vector_fonts_only(tmp_path):
    """Bullet lists (every transcript is one) used the text-companion bullet, which has no Type 1 font here:
    pdflatex ran METAFONT for it in each job's fresh TeX home (~0.25 s) and embedded a bitmap font."""
    from pypdf import PdfReader

    from text_to_manim.pipeline import notes

    md = "# Transcript\n\n- **0:00.0–0:02.5** One.\n  - nested\n    - deeper\n      - deepest\n- **0:02.5–0:04.0** Two.\n"
    paths = notes.write(tmp_path, md)
    pdf, err = notes.build_pdf(paths["notes_tex"])
    assert pdf is not None, err
    fonts = {str(f.get_object().get("/BaseFont")): f.get_object().get("/Subtype")
             for page in PdfReader(pdf).pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and "/Type3" not in fonts.values(), fonts  # Type 3 here: METAFONT's bitmap font


# -- issue 16.8: ^^ notation gets past FORBIDDEN; kpathsea's paranoid mode is the wall ---------------------

HIDDEN_INPUT = "^^5cinput{/etc/passwd}"  # \input{/etc/passwd}, with the backslash spelled ^^5c
PASSWD_LINE = Path("/etc/passwd").read_text().splitlines()[0]  # e.g. root:x:0:0:root:/root:/bin/bash


def pdf_text(pdf: bytes) -> str:
    """The strings of a PDF's content streams, joined (pdflatex writes text as (…) pieces between kerns)."""
    pieces = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            pieces += re.findall(rb"\(((?:\\.|[^\\)])*)\)", zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(pieces).decode("latin-1")


def test_a_hat_hat_spelled_input_reads_nothing_outside_the_work_dir(tmp_path, monkeypatch):
    assert not latex.FORBIDDEN.search(HIDDEN_INPUT)  # the pattern is only a guide: it does not see this
    res = latex.compile_batch([r"x^2", HIDDEN_INPUT], tmp_path / "work")
    written = b"".join(p.read_bytes() for p in (tmp_path / "work").iterdir() if p.is_file())
    assert not res[1].ok and "not found" in res[1].error, res
    assert b"(/etc/passwd" not in written and PASSWD_LINE.split(":")[0].encode() + b":x:" not in written
    # the same document without paranoid mode does read the file: the check above can see a leak
    monkeypatch.setattr(latex, "tex_env", lambda w: {**TEX_ENV(w), "openin_any": "a"})
    latex.compile_batch([HIDDEN_INPUT], tmp_path / "open")
    assert b"(/etc/passwd" in (tmp_path / "open" / "anchor.log").read_bytes()


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed")
@pytest.mark.parametrize("paranoid", [True, False], ids=["paranoid", "control-without-paranoid-mode"])
def test_notes_pdf_with_a_hat_hat_spelled_input_shows_no_host_file(tmp_path, monkeypatch, paranoid):
    r"""notes.tex from a model: ^^5cInputIfFileExists is \InputIfFileExists, unseen by FORBIDDEN. With
    kpathsea's paranoid mode the file cannot be opened ("Refused" is typeset); the control run without
    it shows the same PDF check does see /etc/passwd when it gets in."""
    from text_to_manim.pipeline import notes

    if not paranoid:
        monkeypatch.setattr(latex, "tex_env", lambda w: {**TEX_ENV(w), "openin_any": "a"})
    tex = tmp_path / "notes.tex"
    tex.write_text("\\documentclass{article}\n\\begin{document}\nRingelnatz\n\n"
                   "^^5cInputIfFileExists{/etc/passwd}{}{Refused}\n\n\\end{document}\n", encoding="utf-8")
    pdf, err = notes.build_pdf(tex)
    assert pdf, err
    text = pdf_text(pdf.read_bytes())
    assert "Ringelnatz" in text
    leaked = PASSWD_LINE.split(":")[0] + ":x:" in text
    assert (not leaked and "Refused" in text) if paranoid else leaked, text[:300]


@pytest.mark.skipif(sandbox.bwrap_path() is None, reason="bubblewrap cannot create namespaces here")
def test_tex_runs_behind_the_scene_sandboxs_walls(tmp_path):
    """Issue 16.8: what a TeX run (prompt formulas, notes PDF) sees: /etc only in its allow-listed part, no
    capabilities, a read-only root; the work dir is the one writable place."""
    probe = ("ls /etc > seen.txt; grep CapEff /proc/self/status >> seen.txt; "
             "(touch /probe && echo root-writable) >> seen.txt 2>&1")
    latex.run_tex(["sh", "-c", probe], tmp_path)
    seen = (tmp_path / "seen.txt").read_text()
    etc = set(seen.split("CapEff")[0].split())
    assert etc and etc <= set(sandbox_fs.ETC_ENTRIES), etc - set(sandbox_fs.ETC_ENTRIES)
    assert "CapEff:\t0000000000000000" in seen and "root-writable" not in seen, seen
