"""What a piece of scene code binds itself (imports, definitions, assignments), so a fix never touches a name the
author defined, and which calls reach Manim."""
from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass
from typing import Optional

from text_to_manim.fixes import manim_api

BUILTINS = frozenset(dir(builtins))


@dataclass
class Names:
    module: set  # bound at module level (defs, classes, assignments, imports)
    anywhere: set  # bound anywhere (any scope): conservative "the author defined it"
    star_manim: bool  # `from manim import *` present



def bound_by(stmt: ast.stmt) -> set[str]:
    """Names one statement binds in its own scope (not inside nested functions or classes)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, ast.Import):
        return {(a.asname or a.name).split(".")[0] for a in stmt.names}
    if isinstance(stmt, ast.ImportFrom):
        return {a.asname or a.name for a in stmt.names if a.name != "*"}
    out = set()
    for node in ast.walk(stmt):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)) and node is not stmt:
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
    return out



def names_in(tree: ast.Module) -> Names:
    module = set()
    for stmt in tree.body:
        module |= bound_by(stmt)
    anywhere = set(module)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            anywhere.add(node.name)
        elif isinstance(node, ast.arg):
            anywhere.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            anywhere.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            anywhere |= bound_by(node)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            anywhere.add(node.name)
    star = any(isinstance(n, ast.ImportFrom) and n.module == "manim" and any(a.name == "*" for a in n.names)
               for n in tree.body)
    return Names(module, anywhere, star)



def known(name: str, names: Names) -> bool:
    return name in names.anywhere or name in BUILTINS or (names.star_manim and name in manim_api.exported())



def manim_callable(node: ast.Call, names: Names) -> Optional[str]:
    """The Manim class or function a call names directly (`Axes(…)`), unless the code rebinds it."""
    if isinstance(node.func, ast.Name) and node.func.id not in names.anywhere and names.star_manim \
            and node.func.id in manim_api.exported():
        return node.func.id
    return None
