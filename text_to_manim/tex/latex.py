"""The anchor stage: find the formulas, compile them all in one LaTeX run, report TeX's own errors.

    formulas = find_formulas(prompt)            # $…$, $$…$$, \\[…\\], \\(…\\), equation envs, bare TeX
    results = compile_batch(formulas, workdir)  # one `latex` run; each result ok or TeX's error line

The document uses Manim's default TeX template and the `align*` environment MathTex wraps strings in, so
"compiles here" means "MathTex will compile it". TeX from a prompt or a model is untrusted: it runs with
shell escape off, kpathsea in paranoid mode (no absolute paths, no dot files, nothing above the work dir),
an allow-listed environment, and inside bubblewrap when that is usable.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from text_to_manim.sandbox import walls as sandbox

# Manim CE's default TexTemplate (tests check it still matches manim's).
DOCUMENTCLASS = r"\documentclass[preview]{standalone}"
PREAMBLE = "\\usepackage[english]{babel}\n\\usepackage{amsmath}\n\\usepackage{amssymb}"
TEX_TIMEOUT = 30
TEX_LIMITS = sandbox.Limits(wall_seconds=TEX_TIMEOUT, cpu_seconds=60, file_bytes=64 * 1024 * 1024)

DELIMS = [
    (re.compile(r"\$\$(.+?)\$\$", re.S), "display"),
    (re.compile(r"\\\[(.+?)\\\]", re.S), "display"),
    (re.compile(r"\\begin\{(equation|align|gather|multline)\*?\}(.+?)\\end\{\1\*?\}", re.S), "env"),
    (re.compile(r"\\\((.+?)\\\)", re.S), "inline"),
    (re.compile(r"(?<![\\$])\$(?![\s$])(.+?)(?<![\s\\])\$(?!\d)", re.S), "inline"),
]
TEX_CMD = re.compile(r"\\[A-Za-z]+")
# Primitives that read or write files, or change how TeX reads input: never in a formula we compile.
# A guide with a clear message, not the wall: TeX's ^^ notation spells any character (^^5cinput is
# \input) and no pattern over the text sees that. The wall for files is kpathsea's paranoid mode
# (openin_any/openout_any = p in tex_env: no absolute paths, no "..", no dot files), and bubblewrap
# around every run (run_tex); tests/test_latex.py checks a ^^-spelled \input of /etc/passwd.
FORBIDDEN = re.compile(r"\\(input|include|openin|openout|read|write|immediate|catcode|special|csname|"
                       r"includegraphics|usepackage|documentclass|def|edef|gdef|xdef|let|newcommand|"
                       r"renewcommand|lowercase|uppercase|scantokens|endinput|jobname|end\{document\})\b")


@dataclass(frozen=True)
class TexResult:
    formula: str
    ok: bool
    error: str = ""  # TeX's own message and line, e.g. "! Undefined control sequence. l.7 \fracc"

    def as_dict(self) -> dict:
        return {"formula": self.formula, "ok": self.ok, "error": self.error}


def find_formulas(text: str) -> list[str]:
    """LaTeX formulas in a prompt, in order of appearance, without duplicates or delimiters."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for rx, kind in DELIMS:
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            body = m.group(2) if kind == "env" else m.group(1)
            body = body.strip()
            if body:
                found.append((m.start(), body))
                taken.append((m.start(), m.end()))
    if not found and TEX_CMD.search(text):
        # No delimiters: the longest run of words that look like TeX ("explain \int_0^1 x^2 dx").
        words = text.split()
        best, cur = [], []
        for w in words + [""]:
            mathy = bool(w) and (bool(re.search(r"[\\^_={}+*/<>|]", w))
                                 or bool(re.fullmatch(r"[A-Za-z]|\d+(\.\d+)?|d[a-z]|\([A-Za-z0-9,]+\)", w)
                                         and len(w) <= 6 and cur))
            if mathy:
                cur.append(w)
                continue
            if " ".join(cur).count("\\") > " ".join(best).count("\\") or (
                    " ".join(cur).count("\\") == " ".join(best).count("\\") and len(cur) > len(best)):
                best = cur
            cur = []
        formula = " ".join(best).strip(" .,;:")
        if formula and TEX_CMD.search(formula):
            found.append((0, formula))
    seen, out = set(), []
    for _, f in sorted(found, key=lambda x: x[0]):
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


def brace_balance(value: str) -> tuple[int, list[int]]:
    """(unclosed count, indices of unmatched closing braces) ignoring \\{ \\} and \\\\."""
    depth, extra, i = 0, [], 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                extra.append(i)
            else:
                depth -= 1
        i += 1
    return depth, extra


def brace_problem(formula: str) -> Optional[str]:
    unclosed, extra = brace_balance(formula)
    if extra:
        return f"unbalanced braces: an extra '}}' at character {extra[0] + 1}"
    if unclosed:
        return f"unbalanced braces: {unclosed} '{{' never closed"
    lefts = len(re.findall(r"\\left(?![A-Za-z])", formula))
    rights = len(re.findall(r"\\right(?![A-Za-z])", formula))
    if lefts != rights:
        return f"\\left and \\right do not pair up ({lefts} \\left, {rights} \\right)"
    if re.search(r"\\begin\{", formula) and len(re.findall(r"\\begin\{", formula)) != len(
            re.findall(r"\\end\{", formula)):
        return "\\begin and \\end do not pair up"
    return None


def document(formulas: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The batch document, and each formula's (first, last) line in it."""
    lines = [DOCUMENTCLASS, *PREAMBLE.split("\n"), r"\begin{document}"]
    spans = []
    for f in formulas:
        start = len(lines) + 1
        lines.append(r"\begin{align*}")
        lines.extend(f.split("\n"))
        lines.append(r"\end{align*}")
        lines.append(r"\newpage")
        spans.append((start, len(lines)))
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n", spans


def tex_env(workdir: Path) -> dict:
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
        "LANG": "C.UTF-8",
        "openin_any": "p",  # kpathsea: no absolute paths, no dot files, nothing above the work dir
        "openout_any": "p",
        "shell_escape": "f",
        "TEXMFOUTPUT": str(workdir),
    }


def run_tex(argv: list[str], workdir: Path, timeout: float = TEX_TIMEOUT) -> subprocess.CompletedProcess:
    """Run a TeX engine on untrusted input inside `workdir`, behind the scene sandbox's walls (bubblewrap
    with every namespace unshared, no capabilities, the allow-listed /etc, a read-only root; the same
    `bwrap_command`) and rlimits. Its output is not read (TeX's log file is): nothing unbounded in memory."""
    workdir = Path(workdir).resolve()
    bwrap = sandbox.bwrap_path()
    cmd = sandbox.bwrap_command(bwrap, workdir, list(argv)) if bwrap else list(argv)
    return subprocess.run(cmd, cwd=str(workdir), env=tex_env(workdir), stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
                          start_new_session=True, preexec_fn=sandbox.rlimits(TEX_LIMITS))


def parse_log(log: str, spans: list[tuple[int, int]]) -> dict[int, str]:
    """Map TeX errors (`! message` … `l.N …`) to formula indices by line."""
    errors: dict[int, str] = {}
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("! "):
            continue
        msg = line[2:].strip()
        context, where = [], None
        for j in range(i + 1, min(i + 12, len(lines))):
            m = re.match(r"^l\.(\d+) ?(.*)$", lines[j])
            if m:
                where = int(m.group(1))
                context.append(f"l.{m.group(1)} {m.group(2).strip()}".strip())
                break
            if lines[j].startswith("<argument>") or lines[j].startswith("<recently read>"):
                context.append(lines[j].split(">", 1)[1].strip())
        if where is None:
            continue
        for k, (a, b) in enumerate(spans):
            if a <= where <= b and k not in errors:
                errors[k] = f"! {msg} " + " ".join(c for c in context if c)
    return errors


def compile_batch(formulas: list[str], workdir: Optional[Path] = None) -> list[TexResult]:
    """Compile every formula in one LaTeX run; results in the same order."""
    results: dict[int, TexResult] = {}
    batch: list[int] = []
    for i, f in enumerate(formulas):
        bad = FORBIDDEN.search(f)
        if bad:
            results[i] = TexResult(f, False, f"\\{bad.group(1)} is not allowed in a formula")
            continue
        problem = brace_problem(f)
        if problem:
            results[i] = TexResult(f, False, problem)
            continue
        batch.append(i)
    if batch:
        if shutil.which("latex") is None:
            for i in batch:
                results[i] = TexResult(formulas[i], False, "latex is not installed (apt-get install texlive)")
        else:
            own_tmp = workdir is None
            work = Path(tempfile.mkdtemp(prefix="t2m-tex-")) if own_tmp else Path(workdir)
            work.mkdir(parents=True, exist_ok=True)
            try:
                errors = _run_batch([formulas[i] for i in batch], work)
                for k, i in enumerate(batch):
                    results[i] = TexResult(formulas[i], k not in errors, errors.get(k, ""))
            finally:
                if own_tmp:
                    shutil.rmtree(work, ignore_errors=True)
    return [results[i] for i in range(len(formulas))]


def _run_batch(formulas: list[str], work: Path) -> dict[int, str]:
    doc, spans = document(formulas)
    (work / "anchor.tex").write_text(doc, encoding="utf-8")
    try:
        run_tex(["latex", "-interaction=nonstopmode", "-no-shell-escape", "-output-format=dvi", "anchor.tex"], work)
    except subprocess.TimeoutExpired:
        return {k: "! TeX did not finish in time" for k in range(len(formulas))}
    log_path = work / "anchor.log"
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    errors = parse_log(log, spans)
    if not log:
        return {k: "! latex produced no log" for k in range(len(formulas))}
    if "Emergency stop" in log or "Fatal error" in log:
        unexplained = [k for k in range(len(formulas)) if k not in errors]
        for k in unexplained:
            errors[k] = "! TeX stopped before this formula (an earlier one broke the document)"
    return errors


def anchor_summary(results: list[TexResult]) -> str:
    ok = sum(r.ok for r in results)
    return f"{ok} of {len(results)} formula(s) compile"


__all__ = ["TexResult", "find_formulas", "compile_batch", "run_tex", "brace_problem", "document"]
