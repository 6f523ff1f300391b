"""Names the installed Manim does not have, read from Manim itself: a missing `import math` / `random` / `itertools` …,
a bare call of the class's own method (`helper()` -> `self.helper()`), manimgl constants (`FRAME_WIDTH` ->
`config.frame_width`), colour names Manim lacks (`DARK_GREEN` -> `GREEN_E`, nearest in its colour table), case
slips (`MathTeX` -> `MathTex`), a helper used before its definition (the definition moves up)."""
from __future__ import annotations

import ast
from typing import Optional

from text_to_manim.events import Fix
from text_to_manim.fixes import manim_api
from text_to_manim.fixes.edits import Edit, Starts, line_starts, rewrite, span
from text_to_manim.fixes.scopes import BUILTINS, bound_by, known, names_in

# name -> the import that binds it (a module the policy allows)
IMPORTS = {
    "math": "import math", "random": "import random", "itertools": "import itertools",
    "functools": "import functools", "copy": "import copy", "string": "import string",
    "operator": "import operator", "collections": "import collections", "statistics": "import statistics",
    "cmath": "import cmath", "heapq": "import heapq", "bisect": "import bisect", "textwrap": "import textwrap",
    "fractions": "import fractions", "decimal": "import decimal", "re": "import re",
    "numpy": "import numpy", "np": "import numpy as np", "scipy": "import scipy",
    "reduce": "from functools import reduce", "partial": "from functools import partial",
    "lru_cache": "from functools import lru_cache", "Fraction": "from fractions import Fraction",
    "Decimal": "from decimal import Decimal", "defaultdict": "from collections import defaultdict",
    "Counter": "from collections import Counter", "deque": "from collections import deque",
    "namedtuple": "from collections import namedtuple", "OrderedDict": "from collections import OrderedDict",
    "product": "from itertools import product", "combinations": "from itertools import combinations",
    "permutations": "from itertools import permutations", "accumulate": "from itertools import accumulate",
    "it": "import itertools as it",  # manimgl's star import binds it
    "dataclass": "from dataclasses import dataclass", "field": "from dataclasses import field",
    **{t: f"from typing import {t}" for t in ("List", "Dict", "Tuple", "Optional", "Callable", "Sequence",
                                                "Iterable", "Union", "Any")},
    # math functions written bare (after a `from math import *` the model forgot): numpy's work on
    # arrays and numbers alike; floor/ceil/factorial must stay ints, so they come from math
    **{f: f"from numpy import {f}" for f in ("sqrt", "sin", "cos", "tan", "exp", "arctan2", "arcsin", "arccos",
                                             "arctan", "sinh", "cosh", "tanh", "linspace", "arange")},
    **{f: f"from math import {f}" for f in ("floor", "ceil", "factorial", "comb", "gcd", "log", "log10",
                                            "log2", "atan2", "hypot", "radians", "degrees")},
}

# manimgl / old-CE constants -> Manim Community expressions
CONSTANTS = {
    "FRAME_WIDTH": "config.frame_width", "FRAME_HEIGHT": "config.frame_height",
    "FRAME_X_RADIUS": "config.frame_x_radius", "FRAME_Y_RADIUS": "config.frame_y_radius",
    "TOP": "config.top", "BOTTOM": "config.bottom", "LEFT_SIDE": "config.left_side",
    "RIGHT_SIDE": "config.right_side", "DEG": "DEGREES", "PIXEL_WIDTH": "config.pixel_width",
    "PIXEL_HEIGHT": "config.pixel_height", "FRAME_RATE": "config.frame_rate",
}

# manimgl helpers Manim Community lacks -> an equivalent expression
MANIMGL_FUNCTIONS = {"get_norm": "np.linalg.norm", "get_distance": "np.linalg.norm"}

# rate functions named as in CSS or other animation libraries -> Manim's
RATE_NAMES = {"ease_in_out": "smooth", "ease_in": "rush_into", "ease_out": "rush_from", "ease": "smooth"}




def _import_position(code: str, tree: ast.Module) -> int:
    """Offset after the last top-level import at the head of the module (or after a docstring)."""
    starts = line_starts(code)
    line = 0
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) or (
                stmt is tree.body[0] and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            line = stmt.end_lineno or stmt.lineno
        elif line:
            break
    return starts[line] if line < len(starts) else len(code)



def _methods_of(cls: ast.ClassDef, classes: dict) -> set[str]:
    out, seen, todo = set(), set(), [cls]
    while todo:
        c = todo.pop()
        if c.name in seen:
            continue
        seen.add(c.name)
        out |= {s.name for s in c.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        todo += [classes[b.id] for b in c.bases if isinstance(b, ast.Name) and b.id in classes]
    return out



def _local_names(func: ast.FunctionDef) -> set[str]:
    out = {a.arg for a in ast.walk(func.args) if isinstance(a, ast.arg)}
    for stmt in func.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                out.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                out.add(node.name)
    return out



def _name_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    names = names_in(tree)
    edits: list[Edit] = []
    imports: dict[str, int] = {}  # import line -> first line using it
    reported: set[str] = set()

    def once(key: str, what: str) -> Optional[str]:
        if key in reported:
            return None
        reported.add(key)
        return what

    # self.method() called bare inside the class's own methods
    classes = {c.name: c for c in tree.body if isinstance(c, ast.ClassDef)}
    handled: set[int] = set()
    for cls in classes.values():
        methods = _methods_of(cls, classes)
        for func in [s for s in cls.body if isinstance(s, ast.FunctionDef) and s.args.args]:
            me = func.args.args[0].arg
            local = _local_names(func)
            for node in ast.walk(func):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in methods
                        and node.func.id not in names.module and node.func.id not in local
                        and node.func.id not in BUILTINS and node.func.id not in manim_api.exported()):
                    a, b = span(starts, node.func)
                    handled.add(id(node.func))
                    edits.append(Edit(a, b, f"{me}.{node.func.id}", once(
                        "self." + node.func.id, f"{node.func.id}() -> {me}.{node.func.id}() (a method of "
                                                f"{cls.name}, called without {me}.)")))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)) or id(node) in handled:
            continue
        name = node.id
        if known(name, names):
            continue
        a, b = span(starts, node)
        if name in IMPORTS:
            imports.setdefault(IMPORTS[name], node.lineno)
        elif name in CONSTANTS:
            edits.append(Edit(a, b, CONSTANTS[name], once(name, f"{name} -> {CONSTANTS[name]} (manimgl constant; "
                                                                 "Manim Community keeps it in config)")))
        elif name in MANIMGL_FUNCTIONS and names.star_manim:
            new = MANIMGL_FUNCTIONS[name]
            edits.append(Edit(a, b, new, once(name, f"{name} -> {new} (a manimgl helper; numpy has it)")))
        elif name in RATE_NAMES:
            edits.append(Edit(a, b, RATE_NAMES[name], once(name, f"{name} -> {RATE_NAMES[name]} (Manim's rate "
                                                                 "function of that shape)")))
        elif names.star_manim and name in manim_api.rate_functions():
            new = f"rate_functions.{name}"
            edits.append(Edit(a, b, new, once(name, f"{name} -> {new} (Manim keeps it in rate_functions)")))
        elif names.star_manim and not name.islower() and (close := manim_api.close_name(name)):
            # `circle` is a variable never assigned far more often than the class `Circle`: a lowercase name
            # is left to the error-driven repair, which keeps the rename only if the scene gets further
            new = close
            edits.append(Edit(a, b, new, once(name, f"{name} -> {new} (Manim's spelling)")))
        elif names.star_manim and (nearest := manim_api.nearest_colour(name)):
            new = nearest
            edits.append(Edit(a, b, new, once(name, f"{name} -> {new} (Manim has no colour {name}; the nearest "
                                                    "in its colour table)")))
    if imports:
        pos = _import_position(code, tree)
        text = "".join(f"{imp}\n" for imp in sorted(imports))
        prefix = "" if pos == 0 or code[pos - 1] == "\n" else "\n"
        what = "; ".join(f"added missing `{imp}` (used on line {line})" for imp, line in sorted(imports.items()))
        edits.append(Edit(pos, pos, prefix + text, what))
    return edits



def fix_names(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _name_edits)



def _loads(node: ast.AST, skip_bodies: bool = True) -> set[str]:
    """Names a statement reads when it runs (function and lambda bodies run later: not counted)."""
    out = set()
    todo = [node]
    while todo:
        n = todo.pop()
        if skip_bodies and n is not node and isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            # decorators and defaults run now
            if isinstance(n, ast.Lambda):
                todo += n.args.defaults
            else:
                todo += n.decorator_list + n.args.defaults + [d for d in n.args.kw_defaults if d]
            continue
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n is node:
            todo += n.decorator_list + n.args.defaults + [d for d in n.args.kw_defaults if d]
            continue
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            out.add(n.id)
        todo += list(ast.iter_child_nodes(n))
    return out



def _reorder(code: str, body: list[ast.stmt], starts: list[int], where: str) -> list[Edit]:
    """Move a def/class that a statement above it needs when it runs to just before that statement."""
    edits = []
    defs = {s.name: i for i, s in enumerate(body) if isinstance(s, (ast.FunctionDef, ast.ClassDef))}
    moved: set[int] = set()
    for i, stmt in enumerate(body):
        for name in sorted(_loads(stmt)):
            j = defs.get(name)
            if j is None or j <= i or j in moved:
                continue
            if any(name in bound_by(s) for s in body[:i]):
                continue  # bound earlier by something else: not a use before definition
            target = body[j]
            needs = _loads(target)
            if any(needs & bound_by(s) for s in body[i:j]):
                continue  # the definition itself needs something defined in between
            decorators = getattr(target, "decorator_list", None)
            first = decorators[0].lineno if decorators else target.lineno
            end = target.end_lineno or target.lineno
            a, b = starts[first - 1], starts[end] if end < len(starts) else len(code)
            block = code[a:b] if code[a:b].endswith("\n") else code[a:b] + "\n"
            at = starts[(getattr(stmt, "decorator_list")[0].lineno if getattr(stmt, "decorator_list", None)
                         else stmt.lineno) - 1]
            edits.append(Edit(a, b, ""))
            edits.append(Edit(at, at, block + "\n", f"moved {name} ({where}) up, before its first use: it was "
                                                     "used before it was defined"))
            moved.add(j)
    return edits



def _order_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    edits = _reorder(code, tree.body, starts, "a module-level definition")
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and not edits:
            edits = _reorder(code, func.body, starts, f"a helper inside {func.name}")
    return edits



def fix_definition_order(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _order_edits, passes=5)
