"""What the installed Manim offers, read from Manim itself: names, keyword options, signatures, colours.

Sanitize uses it to rewrite code for the Manim that will run it, and error reports use it to show the
current signature. The parent imports Manim (the library, never scene code); everything is computed
once per process (lru_cache) since the installed Manim does not change under a running process.
"""
from __future__ import annotations

import difflib
import importlib
import importlib.util
import inspect
import re
from functools import lru_cache
from typing import Optional


@lru_cache(maxsize=1)
def _manim():
    import manim

    return manim


@lru_cache(maxsize=1)
def exported() -> frozenset[str]:
    """Every name `from manim import *` binds."""
    m = _manim()
    names = getattr(m, "__all__", None) or [n for n in dir(m) if not n.startswith("_")]
    return frozenset(names)


def lookup(name: str):
    """The object `from manim import *` binds to `name`, or None."""
    return getattr(_manim(), name, None) if name in exported() else None


@lru_cache(maxsize=1)
def rate_functions() -> frozenset[str]:
    """Rate functions Manim has but `from manim import *` does not bind (reached as rate_functions.x)."""
    from manim.utils import rate_functions as rf

    return frozenset(n for n in dir(rf) if not n.startswith("_") and callable(getattr(rf, n))
                     and getattr(getattr(rf, n), "__module__", "") == rf.__name__) - exported()


def module_has(module: str, name: str) -> bool:
    """Whether `from module import name` works, for Manim's own modules (imported, not scene code)."""
    if module != "manim" and not module.startswith("manim."):
        return False
    try:
        if importlib.util.find_spec(module) is None:
            return False
        return hasattr(importlib.import_module(module), name)
    except Exception:  # a Manim module that fails to import (OpenGL extras) offers nothing
        return False


# ---------------------------------------------------------------------------------------- signatures
def _init_chain(cls: type) -> list:
    """The __init__ methods a keyword passes through: each one forwarding **kwargs hands on to the next
    class in the MRO that defines its own __init__."""
    chain = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        chain.append(init)
        try:
            params = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):
            return []
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            break
    return chain


@lru_cache(maxsize=512)
def accepted_keywords(name: str) -> Optional[frozenset[str]]:
    """Keyword arguments a Manim class or function accepts; None when unknown or open-ended."""
    obj = lookup(name)
    if obj is None:
        return None
    funcs = _init_chain(obj) if inspect.isclass(obj) else [obj]
    if not funcs:
        return None
    names: set[str] = set()
    for f in funcs:
        try:
            params = inspect.signature(f).parameters.values()
        except (TypeError, ValueError):
            return None
        names.update(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                     and not p.name.startswith("_") and p.name != "self")
    last = funcs[-1]
    if any(p.kind is p.VAR_KEYWORD for p in inspect.signature(last).parameters.values()):
        return None  # the chain ends in **kwargs that go somewhere we cannot see
    return frozenset(names)


def _short(sig: inspect.Signature) -> str:
    """The signature without annotations (long, and not what a reader needs here), defaults made readable."""
    sig = sig.replace(parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
                      return_annotation=inspect.Signature.empty)
    text = str(sig)
    text = re.sub(r"<function (\w+) at 0x[0-9a-f]+>", r"\1", text)
    text = re.sub(r"<class '?[\w.]*?(\w+)'?>", r"\1", text)
    text = re.sub(r"array\(\[([^\]]*)\]\)", r"[\1]", text)
    text = re.sub(r"ManimColor\('(#[0-9A-Fa-f]+)'\)", r"\1", text)
    text = re.sub(r"<[\w.]+ object at 0x[0-9a-f]+>", "…", text)
    return text.replace("(self, ", "(").replace("(self)", "()")


@lru_cache(maxsize=512)
def signature(name: str, method_of: Optional[str] = None) -> str:
    """`Name(arg=default, …)` as installed, for messages; "" if unknown."""
    obj = lookup(method_of) if method_of else lookup(name)
    if obj is None:
        return ""
    if method_of:
        obj = getattr(obj, name, None)
        if obj is None:
            return ""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return ""
    return f"{name}{_short(sig)}"


@lru_cache(maxsize=1)
def _method_index() -> dict[str, list[str]]:
    """method name -> the exported Mobject classes having it, own or inherited (for 'which object has
    this method')."""
    index: dict[str, list[str]] = {}
    mob = lookup("Mobject")
    for n in sorted(exported()):
        obj = lookup(n)
        if inspect.isclass(obj) and mob is not None and issubclass(obj, mob):
            for attr in dir(obj):
                if not attr.startswith("_") and callable(inspect.getattr_static(obj, attr, None)):
                    index.setdefault(attr, []).append(n)
    return index


def method_owners(method: str) -> list[str]:
    return _method_index().get(method, [])


def owner_class(name: str):
    """The class a run-time error names as an object's type: an exported one, or a camera (cameras are not
    exported by `from manim import *` but do raise these)."""
    cls = lookup(name)
    if cls is None:
        from manim import camera

        cls = getattr(camera, name, None)
    return cls if inspect.isclass(cls) else None


def attributes(name: str) -> list[str]:
    """The public attributes of that class (methods, properties, class attributes)."""
    cls = owner_class(name)
    return [n for n in dir(cls) if not n.startswith("_")] if cls is not None else []


def close_attributes(name: str, attr: str, n: int = 4) -> list[str]:
    """The attributes of class `name` the author may have meant by `attr`, likeliest first (protocol.near_names:
    the runner says the same from the live object)."""
    from text_to_manim.sandbox.runner.protocol import near_names

    return near_names(attr, attributes(name), n)


@lru_cache(maxsize=64)
def parameters_of(name: str, method: str) -> frozenset[str]:
    """The named parameters of a method of a Manim class (empty when unknown)."""
    func = getattr(owner_class(name), method, None)
    try:
        params = inspect.signature(func).parameters.values() if func is not None else []
    except (TypeError, ValueError):
        return frozenset()
    return frozenset(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self")


def is_value(name: str, attr: str) -> bool:
    """Whether `attr` of class `name` is a plain value (a property or data: an array, a number), not a method."""
    cls = owner_class(name)
    found = inspect.getattr_static(cls, attr, None) if cls is not None else None
    return isinstance(found, property) or (found is not None and not callable(found))


def accepts(name: str, method: str, positional: int, keywords: list[str]) -> bool:
    """Whether `method` of class `name` can be called with that many positional arguments and those
    keywords (True when its signature cannot be read: the run decides)."""
    cls = owner_class(name)
    if cls is None:
        return True
    func = inspect.getattr_static(cls, method, None)
    if isinstance(func, (staticmethod, classmethod)):
        func, bound = func.__func__, isinstance(func, classmethod)
    else:
        bound = False
    if isinstance(func, property) or func is None or not callable(func):
        return False
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return True
    selves = [None] if (inspect.isfunction(func) and not isinstance(inspect.getattr_static(cls, method), staticmethod)) \
        or bound else []
    try:
        sig.bind(*selves, *[None] * positional, **{k: None for k in keywords})
    except TypeError:
        return False
    return True


def is_mobject_method(method: str) -> bool:
    return bool(method_owners(method)) or any(hasattr(lookup(c), method) for c in ("Mobject", "VMobject", "Scene"))


# ------------------------------------------------------------------------------------------- colours
@lru_cache(maxsize=1)
def colours() -> dict[str, tuple[float, float, float]]:
    """Manim's named colours (manim_colors: what `from manim import *` gives) -> RGB in 0..1."""
    from manim.utils.color import manim_colors

    out = {}
    for n in dir(manim_colors):
        v = getattr(manim_colors, n)
        if n.isupper() and n in exported() and hasattr(v, "to_rgb") and not n.startswith(("LOGO_", "PURE_")):
            r, g, b = (float(x) for x in v.to_rgb())
            out[n] = (r, g, b)
    return out


@lru_cache(maxsize=1)
def _reference_colours() -> dict[str, tuple[float, float, float]]:
    """Wider colour tables Manim ships (X11, then XKCD), keyed without underscores, for names models
    use that manim_colors lacks (DARK_GREEN, CYAN, NAVY …)."""
    from manim.utils.color import X11, XKCD

    out = {}
    for table in (XKCD, X11):  # X11 last: it wins, its names are the ones people mean (CYAN, NAVY)
        for n in dir(table):
            v = getattr(table, n)
            if n.isupper() and hasattr(v, "to_rgb"):
                r, g, b = (float(x) for x in v.to_rgb())
                out[n.replace("_", "")] = (r, g, b)
    return out


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """sRGB -> CIE L*a*b* (D65), for a perceptual nearest colour."""
    def lin(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _nearest(rgb: tuple[float, float, float], family: Optional[list[str]] = None) -> str:
    """Nearest by Lab distance, the colour axes (a, b) weighted over lightness: a navy should stay blue
    rather than become a dark purple of similar lightness."""
    pool = family or list(colours())
    L, a, b = _lab(rgb)

    def dist(n):
        l2, a2, b2 = _lab(colours()[n])
        return (L - l2) ** 2 + 2 * ((a - a2) ** 2 + (b - b2) ** 2)

    return min(pool, key=dist)


@lru_cache(maxsize=256)
def nearest_colour(name: str) -> Optional[str]:
    """The Manim colour closest to an unknown colour name (DARK_GREEN -> GREEN_E), or None if the name
    is no colour any table knows."""
    if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name) or name in exported():
        return None
    shade = re.fullmatch(r"([A-Z_]+)_[A-E]", name)  # ORANGE_A: a shade of a colour that has none
    if shade and shade.group(1) in colours():
        return shade.group(1)
    key = name.replace("_", "")
    ref = _reference_colours()
    for alias in (key, key.replace("GREY", "GRAY"), key.replace("GRAY", "GREY")):
        if alias in ref:
            rgb = ref[alias]
            break
    else:
        return None
    # Stay in the family the name says when Manim has one (LIGHT_BLUE -> a BLUE_x, BROWN -> a *_BROWN).
    for word in reversed(name.split("_")):
        family = [n for n in colours() if word in n.split("_")]
        if family:
            return _nearest(rgb, family)
    return _nearest(rgb)


def close_name(name: str) -> Optional[str]:
    """An exported Manim name the unknown `name` is a slip of: case or underscores (MathTeX, Mathtex,
    DARKBLUE) only, never a different word."""
    folded = name.replace("_", "").lower()
    hits = [n for n in exported() if n.replace("_", "").lower() == folded and n != name]
    return hits[0] if len(hits) == 1 else None


def similar(name: str, candidates) -> Optional[str]:
    got = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.8)
    return got[0] if got else None


# ------------------------------------------------------------------------------- error messages
CALL_RE = re.compile(r"\b([A-Z]\w*)\s*\(")
METHOD_CALL_RE = re.compile(r"\.([a-z_]\w*)\s*\(")
NO_ATTRIBUTE_RE = re.compile(r"'?(\w+)'? object has no attribute '(\w+)'")
SIGNATURE_ERRORS = ("unexpected keyword argument", "required positional argument", "positional argument",
                    "multiple values for argument", "takes ", "missing ")


def hint(kind: str, message: str, source_line: str) -> str:
    """What to write instead, for a TypeError/AttributeError from a Manim call: the current signature
    of the Manim callables on the failing line, or the methods the object does have. "" if nothing."""
    if kind == "AttributeError":
        m = NO_ATTRIBUTE_RE.search(message)
        if m is None or owner_class(m.group(1)) is None or f"{m.group(1)} has no {m.group(2)};" in message:
            return ""
        close = close_attributes(m.group(1), m.group(2), n=3)
        return f"{m.group(1)} has no {m.group(2)}" + (f"; it has {', '.join(close)}" if close else "")
    if kind != "TypeError" or not any(s in message for s in SIGNATURE_ERRORS):
        return ""
    sigs = [signature(n) for n in dict.fromkeys(CALL_RE.findall(source_line)) if lookup(n) is not None]
    for meth in dict.fromkeys(METHOD_CALL_RE.findall(source_line)):
        owners = method_owners(meth)
        if owners:
            sigs.append(signature(meth, owners[0]))
    sigs = [s for s in sigs if s]
    return ("current signature" + ("s" if len(sigs) > 1 else "") + ": " + "; ".join(sigs[:3])) if sigs else ""


def explain(error):
    """A CodeError from running the scene, with the hint above appended to its message."""
    try:
        extra = hint(error.kind, error.message, error.source_line)
    except Exception:  # a hint is a courtesy: never let it hide the error itself
        extra = ""
    if not extra:
        return error
    from dataclasses import replace

    return replace(error, message=f"{error.message} ({extra})")
