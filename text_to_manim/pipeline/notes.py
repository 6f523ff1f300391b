"""Study notes: `notes.md` (Markdown with $…$ math), `notes.tex` (a standalone document), `notes.pdf`.

The model writes Markdown; `md_to_tex` turns it into LaTeX deterministically (headings, lists, emphasis,
code, display and inline math kept as math, everything else escaped). `build_pdf` runs pdflatex on it
the way the anchor stage runs latex: untrusted input, so no shell escape, paranoid file access, bwrap.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from text_to_manim.tex import latex
from text_to_manim.tex.source import MATH_UNICODE

TEX_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}
\usepackage{amsmath,amssymb}
\usepackage[margin=2.5cm]{geometry}
\usepackage{parskip}
\usepackage{hyperref}
% list bullets from Type 1 math fonts: the text-companion bullets have no Type 1 font here (no cm-super), so
% pdflatex ran METAFONT on every job (a fresh TeX home each time) and embedded a bitmap font
\renewcommand{\labelitemi}{$\bullet$}
\renewcommand{\labelitemiii}{$\ast$}
\renewcommand{\labelitemiv}{$\cdot$}
"""
SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
           "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "$": r"\$"}
FORBIDDEN_MATH = latex.FORBIDDEN


def _escape_text(s: str) -> str:
    out = []
    for ch in s:
        if ch in SPECIAL:
            out.append(SPECIAL[ch])
        elif ch in MATH_UNICODE and ch not in "−":
            out.append("$" + MATH_UNICODE[ch] + "$")
        else:
            out.append(ch)
    return "".join(out)


def _math(s: str) -> str:
    return FORBIDDEN_MATH.sub(lambda m: r"\backslash " + m.group(1), s)


def _inline(s: str) -> str:
    """Inline Markdown -> LaTeX: math kept, code verbatim-ish, **bold**, *italic*, [links](url)."""
    out, i = [], 0
    pattern = re.compile(r"(?<!\\)\$(?!\$)(.+?)(?<!\\)\$|\\\((.+?)\\\)|`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|"
                         r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)|\[([^\]]+)\]\(([^)\s]+)\)")
    for m in pattern.finditer(s):
        out.append(_escape_text(s[i:m.start()]))
        if m.group(1) is not None or m.group(2) is not None:
            out.append("$" + _math(m.group(1) or m.group(2)) + "$")
        elif m.group(3) is not None:
            out.append(r"\texttt{" + _escape_text(m.group(3)) + "}")
        elif m.group(4) is not None or m.group(5) is not None:
            out.append(r"\textbf{" + _inline(m.group(4) or m.group(5)) + "}")
        elif m.group(6) is not None:
            out.append(r"\emph{" + _inline(m.group(6)) + "}")
        else:
            url = m.group(8)
            out.append(_inline(m.group(7)) + (r"\footnote{\url{" + url.replace("%", r"\%").replace("#", r"\#")
                                              + "}}" if url.startswith(("http://", "https://")) else ""))
        i = m.end()
    out.append(_escape_text(s[i:]))
    return "".join(out)


def md_to_tex(md: str, title: str = "") -> str:
    lines = md.replace("\r\n", "\n").split("\n")
    body: list[str] = []
    lists: list[str] = []  # stack of "itemize"/"enumerate"
    para: list[str] = []
    i = 0

    def flush_para():
        if para:
            body.append(_inline(" ".join(p.strip() for p in para)))
            body.append("")
            para.clear()

    def close_lists(to: int = 0):
        while len(lists) > to:
            body.append(r"\end{" + lists.pop() + "}")

    if not title:
        for line in lines:
            m = re.match(r"^#\s+(.+)$", line)
            if m:
                title = m.group(1).strip()
                break
    title_used = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        fence = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence:
            flush_para()
            close_lists()
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence.group(1)):
                j += 1
            code = "\n".join(lines[i + 1:j]).replace(r"\end{verbatim}", r"\end {verbatim}")
            body += [r"\begin{verbatim}", code, r"\end{verbatim}", ""]
            i = j + 1
            continue
        if stripped.startswith("$$") or stripped.startswith(r"\["):
            flush_para()
            close_lists()
            closer = "$$" if stripped.startswith("$$") else r"\]"
            content = stripped[2:]
            j = i
            while closer not in content and j + 1 < len(lines):
                j += 1
                content += "\n" + lines[j]
            math = content.split(closer, 1)[0].strip()
            body += [r"\[", _math(math), r"\]", ""]
            i = j + 1
            continue
        h = re.match(r"^(#{1,6})\s+(.+?)\s*#*$", line)
        if h:
            flush_para()
            close_lists()
            level, text = len(h.group(1)), h.group(2)
            if level == 1 and not title_used and text.strip() == title:
                title_used = True
            else:
                cmd = {1: "section", 2: "section", 3: "subsection"}.get(level, "subsubsection")
                body += [f"\\{cmd}*{{{_inline(text)}}}", ""]
            i += 1
            continue
        item = re.match(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$", line)
        if item:
            flush_para()
            depth = len(item.group(1).replace("\t", "    ")) // 2 + 1
            kind = "enumerate" if item.group(2)[0].isdigit() else "itemize"
            if len(lists) < depth:
                while len(lists) < depth:
                    lists.append(kind)
                    body.append(r"\begin{" + kind + "}")
            else:
                close_lists(depth)
                if lists and lists[-1] != kind:
                    body.append(r"\end{" + lists.pop() + "}")
                    lists.append(kind)
                    body.append(r"\begin{" + kind + "}")
            body.append(r"\item " + _inline(item.group(3)))
            i += 1
            continue
        if not stripped:
            flush_para()
            if lists and not (i + 1 < len(lines) and re.match(r"^\s*([-*+]|\d+[.)])\s+", lines[i + 1])):
                close_lists()
            i += 1
            continue
        if re.match(r"^\s*([-*_])\s*\1\s*\1[\s\1]*$", line):
            flush_para()
            close_lists()
            body += [r"\medskip\hrule\medskip", ""]
            i += 1
            continue
        if lists and line.startswith("  "):
            body[-1] += " " + _inline(stripped)
            i += 1
            continue
        close_lists()
        para.append(line.lstrip(">").strip() if line.lstrip().startswith(">") else line)
        i += 1
    flush_para()
    close_lists()
    head = TEX_PREAMBLE
    if title:
        head += "\\title{" + _inline(title) + "}\n\\date{}\n"
    doc = head + "\\begin{document}\n" + ("\\maketitle\n" if title else "") + "\n".join(body).rstrip() + \
        "\n\\end{document}\n"
    return doc


def write(job_dir: Path, md: str, tex: Optional[str] = None, title: str = "") -> dict[str, Path]:
    """Write notes.md and notes.tex into the job folder; returns {"notes_md": path, "notes_tex": path}."""
    job_dir = Path(job_dir)
    md_path = job_dir / "notes.md"
    md_path.write_text(md.strip() + "\n", encoding="utf-8")
    tex_path = job_dir / "notes.tex"
    tex_path.write_text(tex if tex is not None else md_to_tex(md, title), encoding="utf-8")
    return {"notes_md": md_path, "notes_tex": tex_path}


def copy_docs(job_dir: Path, md_src: Optional[Path], tex_src: Optional[Path]) -> dict[str, Path]:
    """The offline provider ships the gallery's own notes from documentation/."""
    out = {}
    if md_src and Path(md_src).exists():
        out["notes_md"] = Path(shutil.copyfile(md_src, Path(job_dir) / "notes.md"))
    if tex_src and Path(tex_src).exists():
        out["notes_tex"] = Path(shutil.copyfile(tex_src, Path(job_dir) / "notes.tex"))
    elif "notes_md" in out:
        md = out["notes_md"].read_text(encoding="utf-8")
        (Path(job_dir) / "notes.tex").write_text(md_to_tex(md), encoding="utf-8")
        out["notes_tex"] = Path(job_dir) / "notes.tex"
    return out


def pdflatex_available() -> bool:
    return shutil.which("pdflatex") is not None


def build_pdf(tex_path: Path, timeout: float = 60) -> tuple[Optional[Path], str]:
    """Compile notes.tex to notes.pdf in a scratch folder beside it; (pdf or None, error message)."""
    tex_path = Path(tex_path)
    if not pdflatex_available():
        return None, "pdflatex is not installed; notes.pdf skipped (apt-get install texlive-latex-base)"
    text = tex_path.read_text(encoding="utf-8", errors="replace")
    body = text.split(r"\begin{document}", 1)[-1]
    bad = next((m for m in FORBIDDEN_MATH.finditer(body) if m.group(1) != "end{document}"), None)
    if bad or body.count(r"\end{document}") > 1:
        what = bad.group(1) if bad else "end{document}"
        return None, f"notes.tex uses \\{what} in its body, which is not allowed; notes.pdf skipped"
    work = tex_path.parent / ".notes-build"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    (work / "notes.tex").write_text(text, encoding="utf-8")
    try:
        proc = latex.run_tex(["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "notes.tex"], work,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        shutil.rmtree(work, ignore_errors=True)
        return None, "pdflatex did not finish in time"
    pdf = work / "notes.pdf"
    log = (work / "notes.log").read_text(encoding="utf-8", errors="replace") if (work / "notes.log").exists() else ""
    err = next((l for l in log.splitlines() if l.startswith("! ")), "")
    if pdf.exists() and pdf.stat().st_size > 0:
        out = tex_path.parent / "notes.pdf"
        shutil.move(str(pdf), out)
        shutil.rmtree(work, ignore_errors=True)
        return out, err
    shutil.rmtree(work, ignore_errors=True)
    return None, err or f"pdflatex failed (exit {proc.returncode})"


@dataclass
class PdfBuild:
    """pdflatex on the notes, in a thread of its own; after the build `after` (one pdflatex at a time)."""

    tex: Path
    after: Optional[threading.Thread] = None
    pdf: Optional[Path] = None
    error: str = ""
    seconds: float = 0.0
    thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._build, name="notes-pdf", daemon=True)
        self.thread.start()

    def _build(self) -> None:
        if self.after is not None:
            self.after.join()
        t = time.monotonic()
        try:
            self.pdf, self.error = build_pdf(self.tex)
        except Exception as exc:
            self.pdf, self.error = None, repr(exc)
        self.seconds = time.monotonic() - t
