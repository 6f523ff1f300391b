"""Run-time compatibility shims for scene code, installed inside the sandbox before the scene loads.

Bound read-only beside the runner and imported by it, so like the runner it must stand alone (stdlib +
manim, no import of text_to_manim). What sanitize cannot fix in the source (values known only at run
time, files that do not exist) is made to work here; each shim that fires says so through `note()`,
which the runner reports to the user like a sanitize fix ({"what": …, "line": …}):
- `ImageMobject("cat.jpg")` / `SVGMobject("logo.svg")` for a file the job does not have: a labelled
  placeholder (a frame with the file name) instead of a crash;
- options a Manim object or animation does not have, passed where sanitize cannot see them
  (`Circle(**style)`): ignored instead of a TypeError;
- `Text.set_color_by_tex(word, colour)` (a MathTex method models use on Text): colours the word.
"""
from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path

NOTES: list[dict] = []
_SCENE_FILE: list[str] = []  # the scene file, for the line a note refers to
PLACEHOLDER_WIDTH, PLACEHOLDER_HEIGHT = 4.0, 3.0


def note(text: str, line: int | None = None) -> None:
    """Record what a shim changed (once per distinct text and line)."""
    entry = {"what": text, "line": line}
    if entry not in NOTES:
        NOTES.append(entry)


def _scene_line() -> int | None:
    """The line of the scene file that is running now (the innermost frame in that file)."""
    if not _SCENE_FILE:
        return None
    f = sys._getframe(2)
    while f is not None:
        if os.path.realpath(f.f_code.co_filename) == _SCENE_FILE[0]:
            return f.f_lineno
        f = f.f_back
    return None


# --------------------------------------------------------------------------------- missing files
def _placeholder(name: str, kind: str, width: float | None, height: float | None):
    from manim import GREY_B, GREY_E, Line, Rectangle, Text, VGroup

    if width and height:
        w, h = width, height
    elif height:
        w, h = height * PLACEHOLDER_WIDTH / PLACEHOLDER_HEIGHT, height
    elif width:
        w, h = width, width * PLACEHOLDER_HEIGHT / PLACEHOLDER_WIDTH
    else:
        w, h = PLACEHOLDER_WIDTH, PLACEHOLDER_HEIGHT
    box = Rectangle(width=w, height=h, stroke_color=GREY_B, stroke_width=2, fill_color=GREY_E, fill_opacity=0.6)
    cross = VGroup(Line(box.get_corner([-1, -1, 0]), box.get_corner([1, 1, 0])),
                   Line(box.get_corner([-1, 1, 0]), box.get_corner([1, -1, 0]))).set_stroke(GREY_B, 1, 0.5)
    label = Text(Path(name).name or kind, font_size=28, color=GREY_B)
    label.scale_to_fit_width(min(label.width, w * 0.85))
    if label.height > h * 0.4:
        label.scale_to_fit_height(h * 0.4)
    return VGroup(box, cross, label)


def _missing(path, finder) -> bool:
    if not isinstance(path, (str, os.PathLike)):
        return False  # a pixel array or None: not a file
    try:
        finder(str(path))
        return False
    except Exception:  # Manim's own lookup (cwd, assets dir, extensions) found nothing
        return True


def _file_class(base, kind: str, finder, size_from_kwargs: bool):
    """A subclass of `base` that builds a placeholder when its file does not exist."""

    class Shim(base):
        def __new__(cls, file=None, *args, **kwargs):
            if _missing(file, finder):
                note(f"{kind}({str(file)!r}): the file does not exist here, so a labelled placeholder stands "
                     f"in for it; ship the file with the scene or draw it with shapes", _scene_line())
                w = kwargs.get("width") if size_from_kwargs else None
                h = kwargs.get("height", 2 if size_from_kwargs and not kwargs.get("width") else None) \
                    if size_from_kwargs else None
                return _placeholder(str(file), kind, w, h)
            return super().__new__(cls)

    Shim.__name__ = Shim.__qualname__ = kind
    Shim.__module__ = base.__module__
    return Shim


def _install_file_placeholders() -> None:
    import manim
    from manim.mobject.svg import svg_mobject
    from manim.mobject.types import image_mobject
    from manim.utils.images import get_full_raster_image_path, get_full_vector_image_path

    image = _file_class(manim.ImageMobject, "ImageMobject", get_full_raster_image_path, False)
    svg = _file_class(manim.SVGMobject, "SVGMobject", get_full_vector_image_path, True)
    manim.ImageMobject = image_mobject.ImageMobject = image
    manim.SVGMobject = svg_mobject.SVGMobject = svg


# ------------------------------------------------------------------------------ unknown options
def _tolerate_unknown_options(cls) -> None:
    """cls.__init__ ignores keyword options it does not have (and says so) instead of raising."""
    original = cls.__init__
    params = inspect.signature(original).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return
    known = set(params)

    def __init__(self, *args, **kwargs):
        unknown = [k for k in kwargs if k not in known]
        if unknown:
            note(f"{type(self).__name__}(...): ignored option(s) {', '.join(k + '=' for k in unknown)} "
                 f"(this Manim has no such option)", _scene_line())
            for k in unknown:
                kwargs.pop(k)
        original(self, *args, **kwargs)

    __init__.__wrapped__ = original
    cls.__init__ = __init__


# ------------------------------------------------------------------------------------- methods
def _text_set_color_by_tex() -> None:
    from manim import Text

    if "set_color_by_tex" in Text.__dict__:
        return

    def set_color_by_tex(self, tex, color, **_):
        note("Text.set_color_by_tex(...): colours the matching characters (Text has no such method; "
             "Text(..., t2c={...}) is the Text way)", _scene_line())
        for start, end in self._find_indexes(str(tex).replace(" ", ""), self.text):
            self.chars[start:end].set_color(color)
        return self

    Text.set_color_by_tex = set_color_by_tex


def install(scene_file: str) -> None:
    """Patch Manim before the scene module is imported."""
    import manim
    from manim import Animation, Mobject

    NOTES.clear()  # one scene's notes (a reused process may load several)
    _SCENE_FILE[:] = [os.path.realpath(scene_file)]
    if getattr(manim, "_t2m_shims", False):
        return
    manim._t2m_shims = True
    _install_file_placeholders()
    for cls in (Mobject, Animation):
        _tolerate_unknown_options(cls)
    _text_set_color_by_tex()
