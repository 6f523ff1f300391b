"""The curated gallery: every `animations/*.py` module that carries a `META` dict.

Metadata is read with `ast.literal_eval`, never by importing the scene (which would import manim and
run arbitrary module code): listing the gallery stays instant and safe.
Parameters are module-level constants (`K = 3`); `with_params` rewrites them in the source, so the code a
person sees is exactly the code that rendered.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from text_to_manim import config, syntax

ANIMATIONS_DIR = config.PROJECT_ROOT / "animations"
DOCS_DIR = config.PROJECT_ROOT / "documentation"


@dataclass(frozen=True)
class Param:
    name: str
    default: object
    type: str = "int"  # "int" | "float" | "str"
    min: float | None = None
    max: float | None = None
    aliases: tuple = ()
    help: str = ""

    def coerce(self, value) -> object:
        """Parse and clamp a user-supplied value; raise ValueError with a plain reason."""
        v = {"int": int, "float": float, "str": str}[self.type](float(value) if self.type == "int" else value)
        if self.min is not None and v < self.min or self.max is not None and v > self.max:
            raise ValueError(f"{self.name} must be between {self.min} and {self.max}, got {v}")
        return v


@dataclass(frozen=True)
class Entry:
    slug: str  # module name, e.g. "kmeans"
    path: Path
    scene: str  # Scene class to render
    title: str
    summary: str
    keywords: tuple
    category: str
    order: int
    params: tuple = field(default_factory=tuple)  # tuple[Param]
    notes: str = ""  # documentation/<notes>.md / .tex

    @property
    def code(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def notes_md(self) -> Path | None:
        p = DOCS_DIR / f"{self.notes or self.slug}.md"
        return p if p.exists() else None

    @property
    def notes_tex(self) -> Path | None:
        p = DOCS_DIR / f"{self.notes or self.slug}.tex"
        return p if p.exists() else None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def as_json(self) -> dict:
        return {
            "slug": self.slug, "scene": self.scene, "title": self.title, "summary": self.summary,
            "keywords": list(self.keywords), "category": self.category, "order": self.order,
            "params": [{"name": p.name, "default": p.default, "type": p.type, "min": p.min, "max": p.max,
                        "help": p.help} for p in self.params],
            "file": str(self.path), "notes_md": str(self.notes_md or ""), "notes_tex": str(self.notes_tex or ""),
        }


def _read_meta(path: Path) -> dict | None:
    try:
        tree = syntax.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "META" for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def _entry(path: Path, meta: dict) -> Entry:
    params = tuple(
        Param(name=n, default=p["default"], type=p.get("type", type(p["default"]).__name__),
              min=p.get("min"), max=p.get("max"), aliases=tuple(p.get("aliases", ())), help=p.get("help", ""))
        for n, p in meta.get("params", {}).items()
    )
    return Entry(slug=path.stem, path=path, scene=meta["scene"], title=meta["title"], summary=meta["summary"],
                 keywords=tuple(meta.get("keywords", ())), category=meta.get("category", "math"),
                 order=int(meta.get("order", 999)), params=params, notes=meta.get("notes", path.stem))


@lru_cache(maxsize=1)
def _load(directory: str) -> tuple:
    entries = []
    for path in sorted(Path(directory).glob("*.py")):
        meta = _read_meta(path)
        if meta:
            entries.append(_entry(path, meta))
    return tuple(sorted(entries, key=lambda e: (e.order, e.slug)))


def entries(directory: Path = ANIMATIONS_DIR) -> list[Entry]:
    return list(_load(str(directory)))


def get(slug: str) -> Entry:
    for e in entries():
        if e.slug == slug:
            return e
    raise KeyError(f"no gallery scene named {slug!r}; `python -m text_to_manim gallery` lists them")


def with_params(code: str, values: dict) -> str:
    """Rewrite module-level `NAME = literal` assignments; names not present are left alone."""
    for name, value in values.items():
        code = re.sub(rf"^({re.escape(name)}\s*=\s*)[^#\n]+", lambda m: m.group(1) + repr(value), code,
                      count=1, flags=re.M)
    return code
