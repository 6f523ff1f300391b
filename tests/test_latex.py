"""The anchor stage: formulas found in prompts and compiled by real LaTeX in one batch."""
from __future__ import annotations

import time

import pytest

from text_to_manim.tex import latex


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
