"""How a run speaks to the app: MARK lines of JSON on stdout (see the package docstring)."""
from __future__ import annotations

import json
import re
import sys
import threading
import traceback
from pathlib import Path

MARK = "@@T2M "

EMIT_LOCK = threading.Lock()



def emit(event: str, **data) -> None:
    line = MARK + json.dumps({"event": event, **data}) + "\n"
    with EMIT_LOCK:
        sys.stdout.write(line)
        sys.stdout.flush()



def scene_line(tb, scene_file: str) -> int | None:
    """The deepest traceback frame in the user's file: the line they need to look at."""
    line = None
    for frame in traceback.extract_tb(tb):
        if Path(frame.filename).resolve() == Path(scene_file).resolve():
            line = frame.lineno
    return line



def latex_failure(exc: BaseException) -> str | None:
    """Turn Manim's 'latex error converting to dvi' into the formula and TeX's own error line."""
    text = str(exc)
    if "latex error" not in text.lower() and "tex error" not in text.lower():
        return None
    m = re.search(r"(\S+\.log)", text)
    log = Path(m.group(1)) if m else None
    tex_error, formula = "", ""
    if log and log.exists():
        lines = log.read_text(errors="replace").splitlines()
        bangs = [i for i, ln in enumerate(lines) if ln.startswith("!")]
        if bangs:
            i = bangs[0]
            context = next((ln for ln in lines[i + 1:i + 8] if re.match(r"l\.\d+", ln)), "")
            tex_error = lines[i].lstrip("! ").strip() + (f" (at: {context.strip()})" if context else "")
        tex = log.with_suffix(".tex")
        if tex.exists():
            body = tex.read_text(errors="replace")
            fm = re.search(r"\\begin\{document\}(.*)\\end\{document\}", body, re.S)
            formula = re.sub(r"\\begin\{(center|align\*)\}|\\end\{(center|align\*)\}", "",
                             fm.group(1) if fm else body)
            formula = re.sub(r"\\special\{dvisvgm:raw [^}]*\}", "", formula).strip()
    msg = "LaTeX could not compile"
    msg += f" the formula {formula!r}" if formula else " a formula"
    return msg + (f": {tex_error}" if tex_error else ". Check the TeX syntax (braces, backslashes, raw strings).")



def relative(path) -> str:
    """A path as the parent should read it: relative to the run's folder when inside it."""
    p = Path(path).resolve()
    try:
        return p.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(p)
