"""How a run speaks to the app: MARK lines of JSON on stdout (see the package docstring)."""
from __future__ import annotations

import difflib
import json
import re
import sys
import threading
import traceback
from pathlib import Path

MARK = "@@T2M "
# A run's output is read a line at a time by the worker and by the app: a line longer than this (a scene can
# print gigabytes without a newline) is cut into pieces of this size, so no reader ever holds more.
LINE_LIMIT = 2 << 20

EMIT_LOCK = threading.Lock()



def emit(event: str, **data) -> None:
    line = MARK + json.dumps({"event": event, **data}) + "\n"
    with EMIT_LOCK:
        sys.stdout.write(line)
        sys.stdout.flush()



class Lines:
    """Splits a byte stream into lines of at most `limit` bytes (longer ones come out in pieces)."""

    def __init__(self, limit: int = LINE_LIMIT):
        self.limit = limit
        self.partial = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        *lines, self.partial = (self.partial + chunk).split(b"\n")
        while len(self.partial) > self.limit:
            lines.append(self.partial[:self.limit])
            self.partial = self.partial[self.limit:]
        return [piece for line in lines for piece in _pieces(line, self.limit)]

    def rest(self) -> bytes:
        """What came after the last newline (at the end of the stream)."""
        rest, self.partial = self.partial, b""
        return rest


def _pieces(line: bytes, limit: int) -> list[bytes]:
    return [line[i:i + limit] for i in range(0, len(line), limit)] or [line]


def message_of(raw: bytes):
    """The protocol message a line carries (a dict with a string "event"), or None: a scene prints to the
    same stream, so anything else is only log text."""
    if not raw.startswith(MARK.encode()):
        return None
    try:
        msg = json.loads(raw[len(MARK):])
    except (ValueError, RecursionError):  # bad JSON or UTF-8, a 5000-digit number, [[[[...
        return None
    return msg if isinstance(msg, dict) and isinstance(msg.get("event"), str) else None


def scene_line(tb, scene_file: str) -> int | None:
    """The deepest traceback frame in the user's file: the line they need to look at."""
    line = None
    for frame in traceback.extract_tb(tb):
        if Path(frame.filename).resolve() == Path(scene_file).resolve():
            line = frame.lineno
    return line



GENERIC_PREFIXES = frozenset({"get", "set", "add", "to", "is", "has", "make", "create", "show"})
NEAR = 0.75  # difflib ratio of "what the author meant": add_coordinate_labels ~ add_coordinates


def near_names(attr: str, names, n: int = 4, cutoff: float = NEAR) -> list[str]:
    """The names the author may have meant by `attr`, likeliest first: near spellings (add_coordinate_labels
    -> add_coordinates), then the real names `attr` extends (get_area_under_graph -> get_area, plot_line ->
    plot), then the one name extending it (radius -> inner_radius), if only one does. Shared by the runner and the parent."""
    names = [a for a in names if a != attr and not a.startswith("_")]
    near = difflib.get_close_matches(attr, names, n=3, cutoff=cutoff)
    shorter = sorted((a for a in names if attr.startswith(a + "_") and a not in GENERIC_PREFIXES), key=len, reverse=True)
    longer = sorted(a for a in names if a.startswith(attr + "_")  # one word more: not is_current_…_frame for frame
                    or (a.endswith("_" + attr) and a.count("_") == attr.count("_") + 1))
    return list(dict.fromkeys(near + shorter + (longer if len(longer) == 1 else [])))[:n]  # frame: which frame_*?


def missing_attribute(exc: BaseException) -> str | None:
    """For an AttributeError, what the object does have that is near the name it lacked, as
    " (Owner has no x; it has a, b)", read from the live object (its own methods, a scene's own classes,
    instance attributes): the parent only knows Manim's classes. None when there is nothing to say."""
    if not isinstance(exc, AttributeError):
        return None
    obj, name = getattr(exc, "obj", None), getattr(exc, "name", None)
    if obj is None:  # Mobject.__getattr__ raises its own AttributeError: the object is its frame's self
        frames = [f for f, _ in traceback.walk_tb(exc.__traceback__) if f.f_code.co_name == "__getattr__"]
        m = re.search(r"has no attribute '(\w+)'", str(exc))
        if not frames or not m:
            return None
        obj, name = frames[-1].f_locals.get("self"), m.group(1)
    if obj is None or not isinstance(name, str):
        return None
    try:
        near = near_names(name, dir(obj))
    except Exception:  # a scene's object whose dir() fails: nothing to add
        return None
    owner = type(obj).__name__
    return f" ({owner} has no {name}; it has {', '.join(near)})" if near else None


GETTER_CALL = "__getattr__.<locals>.getter()"
GETTER_USE = re.compile(r"([A-Za-z_][\w.]*)\.(get_\w+)\s*\(")


def getter_misuse(exc: BaseException, scene_file: str) -> str | None:
    """Manim's Mobject answers any unknown `get_x` with a generic getter of `x`, so a method the object does
    not have fails as "getter() got an unexpected keyword …" or "no attribute 'x'": neither names what the
    scene called. Say it plainly, as an AttributeError on `get_x` of the object's class; None otherwise."""
    frames = [frame for frame, _ in traceback.walk_tb(exc.__traceback__)]
    if not frames:
        return None
    getters = [f for f in frames if f.f_code.co_name == "getter" and isinstance(f.f_locals.get("to_get"), str)]
    if isinstance(exc, AttributeError) and getters and f"'{getters[-1].f_locals['to_get']}'" in str(exc):
        wanted = getters[-1].f_locals["to_get"]
        owner = type(getters[-1].f_locals.get("self")).__name__
        return f"{owner} object has no attribute 'get_{wanted}' (Mobject turned it into a getter of {wanted}, " \
               f"which it has not either)"
    if not isinstance(exc, TypeError) or GETTER_CALL not in str(exc):
        return None
    mine = [(f, n) for f, n in traceback.walk_tb(exc.__traceback__)
            if Path(f.f_code.co_filename).resolve() == Path(scene_file).resolve()]
    if not mine:
        return None
    frame, lineno = mine[-1]
    try:
        source = Path(scene_file).read_text(errors="replace").splitlines()[lineno - 1]
    except (OSError, IndexError):
        return None
    for chain, method in GETTER_USE.findall(source):
        head, *rest = chain.split(".")
        obj = frame.f_locals.get(head, frame.f_globals.get(head))
        try:
            for part in rest:
                obj = getattr(obj, part)
        except Exception:  # an attribute that is not there: not the object this error is about
            continue
        if obj is not None and not any(method in vars(k) for k in type(obj).__mro__):
            return f"{type(obj).__name__} object has no attribute '{method}' (Mobject turned it into a generic " \
                   f"getter, and calling that failed: {exc})"
    return None


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
