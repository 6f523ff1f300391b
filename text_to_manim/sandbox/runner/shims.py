"""Run-time compatibility shims for scene code, installed inside the sandbox before the scene loads.

Bound read-only beside the runner and imported by it, so like the runner it must stand alone (stdlib +
manim, no import of text_to_manim). What sanitize cannot fix in the source (values known only at run
time, files that do not exist) is made to work here; each shim that fires says so through `note()`,
which the runner reports to the user like a sanitize fix ({"what": …, "line": …}):
- `ImageMobject("cat.jpg")` / `SVGMobject("logo.svg")` for a file the job does not have: a labelled
  placeholder (a frame with the file name) instead of a crash;
- options a Manim object or animation does not have, passed where sanitize cannot see them
  (`Circle(**style)`): ignored instead of a TypeError;
- `Text.set_color_by_tex(word, colour)` (a MathTex method models use on Text): colours the word;
- `code.code`, `code.background_mobject` (Code before 0.19): the parts under their new names;
- `axes.get_tangent_line(x, graph, length)` (removed): a tangent Line of that length;
- `number.animate.set_value(v)` across a change in the number of digits: counted with ChangeDecimalToValue;
- 2-D points (`Dot([1, 2])`, `Line([0, 0], [1, 1])`, `Polygon` of (x, y) pairs): z = 0 added;
- colour strings Manim's tables have under another spelling (`"light blue"`): read from the table;
- `add_sound("missing.wav")`: no sound instead of a crash;
- `VGroup(square, image)`: a Group, which may hold images.
"""
from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path
from types import FrameType

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
    f: FrameType | None = sys._getframe(2)
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
    cross = VGroup(Line(box.get_corner((-1, -1, 0)), box.get_corner((1, 1, 0))),
                   Line(box.get_corner((-1, 1, 0)), box.get_corner((1, -1, 0)))).set_stroke(GREY_B, 1, 0.5)
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
    from manim.utils.images import (
        get_full_raster_image_path,
        get_full_vector_image_path,
    )

    image = _file_class(manim.ImageMobject, "ImageMobject", get_full_raster_image_path, False)
    svg = _file_class(manim.SVGMobject, "SVGMobject", get_full_vector_image_path, True)
    for module in (manim, image_mobject):  # replaced at run time: a missing file becomes a placeholder
        setattr(module, "ImageMobject", image)
    for module in (manim, svg_mobject):
        setattr(module, "SVGMobject", svg)


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

    setattr(__init__, "__wrapped__", original)
    setattr(cls, "__init__", __init__)


# ------------------------------------------------------------------------------------ 2-D points
def _as_3d(value):
    """(x, y) -> (x, y, 0) and an (n, 2) array -> (n, 3); anything else unchanged. Returns (value, changed)."""
    import numpy as np

    if not isinstance(value, (list, tuple, np.ndarray)) or len(value) == 0:
        return value, False
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):  # mobjects, ragged lists: not a point
        return value, False
    if arr.shape == (2,):
        return np.append(arr, 0.0), True
    if arr.ndim == 2 and arr.shape[1] == 2:
        return np.hstack([arr, np.zeros((len(arr), 1))]), True
    return value, False


# (class name, method, positional indices after self ("*" = all), keyword names)
POINT_ARGS = [
    ("Mobject", "move_to", (0,), ("point_or_mobject",)), ("Mobject", "shift", "*", ()),
    ("Mobject", "next_to", (0,), ("mobject_or_point",)), ("Dot", "__init__", (0,), ("point",)),
    ("Line", "__init__", (0, 1), ("start", "end")),
    ("Polygon", "__init__", "*", ()),
    ("ArcBetweenPoints", "__init__", (0, 1), ("start", "end")),
    ("VMobject", "set_points_as_corners", (0,), ("points",)),
    ("VMobject", "set_points_smoothly", (0,), ("points",)),
]


def _pad_points(cls, method: str, indices, names) -> None:
    original = cls.__dict__.get(method) or getattr(cls, method)

    def wrapper(self, *args, **kwargs):
        changed = False
        args = list(args)
        for i in range(len(args)) if indices == "*" else [i for i in indices if i < len(args)]:
            args[i], c = _as_3d(args[i])
            changed |= c
        for k in names:
            if k in kwargs:
                kwargs[k], c = _as_3d(kwargs[k])
                changed |= c
        if changed:
            where = type(self).__name__ + ("(...)" if method == "__init__" else f".{method}(...)")
            note(f"{where}: 2-D point(s) given where Manim needs 3-D ones; z = 0 was added", _scene_line())
        return original(self, *args, **kwargs)

    setattr(wrapper, "__wrapped__", original)
    setattr(cls, method, wrapper)


def _install_point_padding() -> None:
    import manim

    for cls_name, method, indices, names in POINT_ARGS:
        _pad_points(getattr(manim, cls_name), method, indices, names)


# ----------------------------------------------------------------------------- colours and sound
def _colour_names() -> None:
    """Colour names Manim's parser misses only by spelling ("light blue", "DARK_GREEN"): Manim's own
    tables (X11, XKCD …) have them without spaces or underscores."""
    import re

    from manim import ManimColor
    from manim.utils.color import X11, XKCD, manim_colors

    folded: dict[str, object] = {}
    for table in (manim_colors, X11, XKCD):  # Manim's own names first
        for k in dir(table):
            if k.isupper() and isinstance(getattr(table, k), ManimColor):
                folded.setdefault(k.replace("_", ""), getattr(table, k))
    original = ManimColor._internal_from_string

    def from_string(name, alpha):
        try:
            return original(name, alpha)
        except ValueError:
            hit = folded.get(re.sub(r"[\s_-]", "", str(name).upper()))
            if hit is None:
                raise
            note(f"colour {name!r} read as {hit.to_hex()} (Manim spells it {re.sub(r'[^A-Z0-9]', '', name.upper())})",
                 _scene_line())
            value = hit._internal_value.copy()
            value[3] = alpha
            return value

    setattr(ManimColor, "_internal_from_string", staticmethod(from_string))


def _silent_missing_sounds() -> None:
    from manim import Scene, config
    from manim.utils.sounds import get_full_sound_file_path

    original = Scene.add_sound

    def add_sound(self, sound_file, *args, **kwargs):
        try:
            get_full_sound_file_path(sound_file, config.get_dir("assets_dir"))  # Manim 0.22 takes the folder
        except Exception:  # Manim's lookup found no such file
            note(f"add_sound({sound_file!r}): the file does not exist here; the video has no sound there",
                 _scene_line())
            return None
        return original(self, sound_file, *args, **kwargs)

    setattr(Scene, "add_sound", add_sound)


# ------------------------------------------------------------------------------- mixed groups
def _mixed_vgroups() -> None:
    """VGroup(…, ImageMobject) raises (a VGroup holds vector objects only): a Group holds both."""
    import manim

    vgroup, group, vmobject, mobject = manim.VGroup, manim.Group, manim.VMobject, manim.Mobject

    class VGroup(vgroup):  # type: ignore[valid-type,misc]  # subclassing the class found at run time
        def __new__(cls, *mobjects, **kwargs):
            flat = [m for x in mobjects for m in (x if isinstance(x, (list, tuple)) else [x])]
            if any(isinstance(m, mobject) and not isinstance(m, vmobject) for m in flat):
                note("VGroup(...) holds an image (not a vector object): made it a Group", _scene_line())
                return group(*flat)
            return super().__new__(cls)

    VGroup.__module__ = vgroup.__module__
    setattr(manim, "VGroup", VGroup)


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

    setattr(Text, "set_color_by_tex", set_color_by_tex)


def _old_code_attributes() -> None:
    """Code's parts before Manim 0.19 (code.code, code.background_mobject) under their new names."""
    from manim import Code

    for old, new in (("code", "code_lines"), ("background_mobject", "background")):
        if old in Code.__dict__:
            continue

        def getter(self, old=old, new=new):
            note(f"Code.{old} -> Code.{new} (renamed in Manim 0.19)", _scene_line())
            return getattr(self, new)

        setattr(Code, old, property(getter))


def _decimal_set_value() -> None:
    """number.animate.set_value(v) fails when the number of digits changes (1000.0 -> 500.0): .animate
    morphs glyph by glyph. Only then, count to the value with ChangeDecimalToValue instead."""
    from manim import ChangeDecimalToValue, DecimalNumber
    from manim.mobject.mobject import _AnimationBuilder

    original = _AnimationBuilder.build

    def build(self):
        mob, methods = self.mobject, self.methods
        if (isinstance(mob, DecimalNumber) and not self.overridden_animation and len(methods) == 1
                and getattr(methods[0].method, "__name__", "") == "set_value" and len(methods[0].args) == 1
                and len(mob.get_family()) != len(mob.target.get_family())):
            note("DecimalNumber.animate.set_value(v) changes the number of digits, which .animate cannot "
                 "morph: counted to v with ChangeDecimalToValue", _scene_line())
            anim = ChangeDecimalToValue(mob, methods[0].args[0])
            for attr, value in self.anim_args.items():
                setattr(anim, attr, value)
            return anim
        return original(self)

    setattr(_AnimationBuilder, "build", build)


def _tangent_lines() -> None:
    """axes.get_tangent_line(x, graph, length) (removed from Manim): a line that long, tangent at x."""
    import numpy as np
    from manim import Line
    from manim.mobject.graphing.coordinate_systems import CoordinateSystem

    if hasattr(CoordinateSystem, "get_tangent_line"):
        return

    def get_tangent_line(self, x, graph, length=5, **kwargs):
        note("get_tangent_line(x, graph) (removed from Manim): drawn as a Line tangent at x; "
             "TangentLine(graph, alpha) is Manim's own", _scene_line())
        half = np.array([length / 2, 0.0, 0.0])
        line = Line(-half, half, **kwargs)
        line.rotate(self.angle_of_tangent(x, graph))
        return line.move_to(self.input_to_graph_point(x, graph))

    setattr(CoordinateSystem, "get_tangent_line", get_tangent_line)


def install(scene_file: str) -> None:
    """Patch Manim before the scene module is imported."""
    import manim
    from manim import Animation, Mobject

    NOTES.clear()  # one scene's notes (a reused process may load several)
    _SCENE_FILE[:] = [os.path.realpath(scene_file)]
    if getattr(manim, "_t2m_shims", False):
        return
    setattr(manim, "_t2m_shims", True)
    _install_file_placeholders()
    for cls in (Mobject, Animation):
        _tolerate_unknown_options(cls)
    _text_set_color_by_tex()
    _old_code_attributes()
    _tangent_lines()
    _decimal_set_value()
    _install_point_padding()
    _mixed_vgroups()
    _colour_names()
    _silent_missing_sounds()
