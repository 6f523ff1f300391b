"""Which classes in a piece of code are Manim scenes, and which one to render."""
from __future__ import annotations

import ast

from text_to_manim import syntax

SCENE_SUFFIX = "Scene"  # Scene, ThreeDScene, MovingCameraScene ... all end with it


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return dotted(node.value) + "." + node.attr
    return ""


def scene_classes(tree: ast.Module) -> list[ast.ClassDef]:
    """Classes deriving from something named *Scene that define construct (directly or by a base here)."""
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}

    def is_scene(cls: ast.ClassDef, seen=()) -> bool:
        for base in cls.bases:
            name = dotted(base).split(".")[-1]
            if name.endswith(SCENE_SUFFIX) and name not in classes:
                return True
            if name in classes and name not in seen and is_scene(classes[name], seen + (cls.name,)):
                return True
        return False

    def has_construct(cls: ast.ClassDef, seen=()) -> bool:
        if any(isinstance(n, ast.FunctionDef) and n.name == "construct" for n in cls.body):
            return True
        return any(dotted(b) in classes and dotted(b) not in seen and has_construct(classes[dotted(b)], seen + (cls.name,))
                   for b in cls.bases)

    return [c for c in classes.values() if is_scene(c) and has_construct(c)]



def scene_names(code: str) -> list[str]:
    """Names of the Scene classes in `code`, in source order ([] if it does not parse)."""
    try:
        tree = syntax.parse(code)
    except (SyntaxError, ValueError):
        return []
    return [c.name for c in sorted(scene_classes(tree), key=lambda c: c.lineno)]


def choose(code: str, wanted: str | None = None) -> tuple[str | None, str]:
    """The scene to render and a note for the user when the choice was not obvious."""
    names = scene_names(code)
    if wanted:
        if wanted in names:
            return wanted, ""
        return None, f"no Scene named {wanted!r} in the code (found: {', '.join(names) or 'none'})"
    if not names:
        return None, "no Scene found"
    if len(names) > 1:
        return names[-1], (f"{len(names)} scenes found ({', '.join(names)}); rendering the last, {names[-1]} "
                           "(choose another with --scene)")
    return names[0], ""
