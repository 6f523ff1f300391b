"""Rewrite scene code for the Manim that will run it (Manim Community 0.19+), read from Manim itself.

Each fix is a rule that is safe without knowing what the author meant beyond what the code says, and
each is recorded as a `Fix(what, line)`:
- names: a missing `import math` / `random` / `itertools` …, a bare call of the class's own method
  (`helper()` -> `self.helper()`), manimgl constants (`FRAME_WIDTH` -> `config.frame_width`), colour
  names Manim lacks (`DARK_GREEN` -> `GREEN_E`, nearest in Manim's own colour table), case slips
  (`MathTeX` -> `MathTex`), a helper used before its definition (the definition moves up);
- keyword options: renamed or moved options of Manim calls (`Axes(x_axis_width=…)` -> `x_length`,
  `include_numbers` -> `axis_config`, `Code(code=…)` -> `code_string` …), typos of an option, and
  options the installed Manim does not have (removed, with its current signature in the fix);
- removed methods and shapes: `scale_in_place`, `add_coordinate_labels`, `get_area(graph, a, b)`,
  `FadeIn(m, UP)`, `self.embed()`, `self.camera.frame` in a plain Scene, 3D camera calls in a 2D Scene,
  an `if __name__ == "__main__":` block (it runs `manim` through os.system; a render never runs it).
What no rule can fix is left to the validate error, which names the line and the current signature.
"""
from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Optional, Union

from text_to_manim.events import Fix
from text_to_manim.fixes import manim_api
from text_to_manim.fixes.edits import Edit, Starts, call_text, line_starts, rewrite, span, src

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
# Per callable: option -> new option name ("" drops it), or (dict option, key) to move it into.
AXIS_KEYS = ("include_numbers", "include_tip", "numbers_to_include", "decimal_number_config", "font_size",
             "label_direction", "tick_size", "numbers_with_elongated_ticks", "exclude_origin_tick",
             "line_to_number_buff", "include_ticks", "tip_width", "tip_height", "numbers_to_exclude",
             "longer_tick_multiple", "numbers_to_show", "number_scale_val", "tip_length")
# an option's rule: its new name ("" = drop it), or (dict option, key) to move it into
Rule = Union[str, tuple[str, str]]
AXES_OPTIONS: dict[str, Rule] = {
    "x_axis_width": "x_length", "x_width": "x_length", "x_axis_length": "x_length", "width": "x_length",
    "y_axis_height": "y_length", "y_height": "y_length", "y_axis_length": "y_length", "height": "y_length",
    "z_axis_height": "z_length", "number_line_config": "axis_config", "axes_config": "axis_config",
    "axis_color": ("axis_config", "color"), "axes_color": ("axis_config", "color"),
    "x_labeled_nums": ("x_axis_config", "numbers_to_include"),
    "y_labeled_nums": ("y_axis_config", "numbers_to_include"),
    "x_axis_label": "", "y_axis_label": "", "graph_origin": "", "center_point": "", "x_tick_frequency": "",
    "y_tick_frequency": "", "x_leftmost_tick": "", "y_bottom_tick": "", "exclude_zero_label": "",
    **{k: ("axis_config", k) for k in AXIS_KEYS},
}
NUMBER_LINE_OPTIONS: dict[str, Rule] = {
    "numbers_to_show": "numbers_to_include", "big_tick_numbers": "numbers_with_elongated_ticks",
    "number_scale_val": "", "tick_frequency": "", "leftmost_tick": "", "number_at_center": "",
    "exclude_zero_from_default_numbers": "", "width": "length", "tip_length": "", "unit_length": "unit_size",
}
CODE_OPTIONS: dict[str, Rule] = {
    "code": "code_string", "file_name": "code_file", "style": "formatter_style",
    "insert_line_no": "add_line_numbers", "line_no_from": "line_numbers_from",
    "font": ("paragraph_config", "font"), "font_size": ("paragraph_config", "font_size"),
    "line_spacing": ("paragraph_config", "line_spacing"),
    "background_stroke_width": ("background_config", "stroke_width"),
    "background_stroke_color": ("background_config", "stroke_color"),
    "corner_radius": ("background_config", "corner_radius"), "margin": ("background_config", "buff"),
    "background_color": ("background_config", "fill_color"),
    "line_no_buff": "", "indentation_chars": "", "generate_html_file": "", "warn_missing_font": "",
    "scale_factor": "", "stroke_width": "",
}
OPTIONS: dict[str, dict[str, Rule]] = {
    "Axes": AXES_OPTIONS, "NumberPlane": AXES_OPTIONS, "ThreeDAxes": AXES_OPTIONS, "ComplexPlane": AXES_OPTIONS,
    "PolarPlane": AXES_OPTIONS, "NumberLine": NUMBER_LINE_OPTIONS, "UnitInterval": NUMBER_LINE_OPTIONS,
    "Code": CODE_OPTIONS,
    "Sector": {"outer_radius": "radius", "inner_radius": ""},
    "Torus": {"r1": "major_radius", "r2": "minor_radius"},
    "get_area": {"bounded": "bounded_graph", "area_color": "color", "dx_scaling": "", "fill_opacity": "opacity",
                 "fill_color": "color"},
    "get_riemann_rectangles": {"start_color": "color", "end_color": ""},
    "get_axis_labels": {"x_label_tex": "x_label", "y_label_tex": "y_label"},
    "get_graph_label": {"label_tex": "label", "x": "x_val"},
    "Text": {"size": "", "text_color": "color", "alignment": ""},
    "MarkupText": {"size": "", "text_color": "color"},
    "Arrow": {"tip_width": "", "tip_size": "tip_length", "max_tip_length": "max_tip_length_to_length_ratio"},
    "Vector": {"tip_width": "", "tip_size": "tip_length"},
    "DecimalNumber": {"num_decimal_points": "num_decimal_places", "decimal_places": "num_decimal_places"},
}
METHODS = {  # removed or renamed methods -> the current one
    "scale_in_place": "scale", "rotate_in_place": "rotate", "add_coordinate_labels": "add_coordinates",
    "get_parametric_curve": "plot_parametric_curve", "get_derivative_graph": "plot_derivative_graph",
    "get_implicit_curve": "plot_implicit_curve", "get_line_graph": "plot_line_graph",
    "get_h_line": "get_horizontal_line", "get_v_line": "get_vertical_line",
    "get_graph_label_tex": "get_graph_label", "set_stroke_width": "set_stroke",
}
SHIFT_ANIMATIONS = {"FadeIn", "FadeOut"}
DIRECTIONS = {"UP", "DOWN", "LEFT", "RIGHT", "UL", "UR", "DL", "DR", "IN", "OUT"}
MOVING_CAMERA_USE = "camera.frame"
THREE_D_METHODS = {"set_camera_orientation", "move_camera", "begin_ambient_camera_rotation",
                   "stop_ambient_camera_rotation", "add_fixed_in_frame_mobjects", "add_fixed_orientation_mobjects",
                   "begin_3dillusion_camera_rotation"}
EMBED_METHODS = {"embed", "interactive_embed"}
BUILTINS = frozenset(dir(builtins))
MAX_SIGNATURE = 240  # characters of a signature quoted in a fix


# ----------------------------------------------------------------------------------------- scopes
@dataclass
class _Names:
    module: set  # bound at module level (defs, classes, assignments, imports)
    anywhere: set  # bound anywhere (any scope): conservative "the author defined it"
    star_manim: bool  # `from manim import *` present


def _bound_by(stmt: ast.stmt) -> set[str]:
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


def _names(tree: ast.Module) -> _Names:
    module = set()
    for stmt in tree.body:
        module |= _bound_by(stmt)
    anywhere = set(module)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            anywhere.add(node.name)
        elif isinstance(node, ast.arg):
            anywhere.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            anywhere.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            anywhere |= _bound_by(node)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            anywhere.add(node.name)
    star = any(isinstance(n, ast.ImportFrom) and n.module == "manim" and any(a.name == "*" for a in n.names)
               for n in tree.body)
    return _Names(module, anywhere, star)


def _known(name: str, names: _Names) -> bool:
    return name in names.anywhere or name in BUILTINS or (names.star_manim and name in manim_api.exported())


def _manim_callable(node: ast.Call, names: _Names) -> Optional[str]:
    """The Manim class or function a call names directly (`Axes(…)`), unless the code rebinds it."""
    if isinstance(node.func, ast.Name) and node.func.id not in names.anywhere and names.star_manim \
            and node.func.id in manim_api.exported():
        return node.func.id
    return None


# ------------------------------------------------------------------------------------------ names
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
    names = _names(tree)
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
        if _known(name, names):
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


# ---------------------------------------------------------------------------- definition order
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
            if any(name in _bound_by(s) for s in body[:i]):
                continue  # bound earlier by something else: not a use before definition
            target = body[j]
            needs = _loads(target)
            if any(needs & _bound_by(s) for s in body[i:j]):
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


# ----------------------------------------------------------------------------------------- calls
def _dict_entry(text: Optional[str], key: str, value: str) -> str:
    """`text` (a dict literal, another expression or None) with key: value added."""
    if text is None:
        return "{" + f'"{key}": {value}' + "}"
    node = ast.parse(text, mode="eval").body
    if isinstance(node, ast.Dict):
        items = [f"{src(text, k)}: {src(text, v)}" if k is not None else f"**{src(text, v)}"
                 for k, v in zip(node.keys, node.values)]
        return "{" + ", ".join(items + [f'"{key}": {value}']) + "}"
    return "{**" + text + f', "{key}": {value}' + "}"


def _option_fixes(code: str, node: ast.Call, name: str, accepted: Optional[frozenset]):
    """New keyword list for a call whose options need renaming/moving/removing, and what changed."""
    table = OPTIONS.get(name, {})
    kws = [k for k in node.keywords]
    present = {k.arg for k in kws if k.arg}
    # a table entry applies even where the option is accepted somewhere down the chain: Sector passes
    # outer_radius on itself, so Sector(outer_radius=…) fails with "multiple values"
    bad = [k for k in kws if k.arg and (k.arg in table or (accepted is not None and k.arg not in accepted))]
    if not bad:
        return None
    out: list[tuple[Optional[str], Optional[str]]] = []  # (name or None for **, value source or None for a dict)
    into: dict[str, Optional[ast.expr]] = {}
    moved: dict[str, list[tuple[str, str]]] = {}
    what: list[str] = []
    removed: list[str] = []
    for k in kws:
        if k.arg in {b.arg for b in bad}:
            rule = table.get(k.arg or "")
            close = manim_api.similar(k.arg, accepted) if k.arg and accepted and rule is None else None
            if isinstance(rule, tuple):
                moved.setdefault(rule[0], []).append((rule[1], src(code, k.value)))
                what.append(f"{k.arg}= -> {rule[0]}[{rule[1]!r}]")
            elif rule and rule not in present:
                out.append((rule, src(code, k.value)))
                what.append(f"{k.arg}= -> {rule}=")
            elif close and close not in present:
                out.append((close, src(code, k.value)))
                what.append(f"{k.arg}= -> {close}=")
            else:
                removed.append(str(k.arg))
            continue
        if k.arg is not None and k.arg in OPTIONS_DICTS:
            into[k.arg] = k.value
            out.append((k.arg, None))
        else:
            out.append((k.arg, src(code, k.value)))
    if removed:
        sig = manim_api.signature(name)
        sig = sig if len(sig) <= MAX_SIGNATURE else sig[:MAX_SIGNATURE].rsplit(",", 1)[0] + ", …)"
        what.append(f"removed {', '.join(k + '=' for k in removed)} (no such option in this Manim"
                    + (f"; {sig}" if sig else "") + ")")
    for dict_kw, entries in moved.items():
        if dict_kw not in into:
            out.append((dict_kw, None))
            into[dict_kw] = None
    result = []
    for kw, value in out:
        if value is None and kw is not None:  # a dict option receiving moved entries (or passing through)
            given = into[kw]
            text = src(code, given) if given is not None else None
            for key, val in moved.get(kw, []):
                text = _dict_entry(text, key, val)
            value = text
        result.append(f"{kw}={value}" if kw else f"**{value}")
    return result, what


OPTIONS_DICTS = {"axis_config", "x_axis_config", "y_axis_config", "z_axis_config", "paragraph_config",
                 "background_config"}


def _is_direction(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in DIRECTIONS
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Add, ast.Sub)):
        return _is_direction(node.left) or _is_direction(node.right)
    if isinstance(node, ast.UnaryOp):
        return _is_direction(node.operand)
    return False


def _is_colour(node: ast.expr) -> bool:
    """A colour by its look: a Manim colour name, `self.graph_color`, a "#hex" or colour string."""
    if isinstance(node, ast.Name):
        return node.id in manim_api.colours() or bool(manim_api.nearest_colour(node.id))
    if isinstance(node, ast.Attribute):
        return node.attr.endswith(("color", "colour"))
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _code_string_arg(node: ast.Call, tree: ast.Module) -> bool:
    """Code(text, …): a first positional argument that is code, not a file name."""
    if not node.args or any(k.arg in ("code_string", "code_file", "code", "file_name") for k in node.keywords):
        return False
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return "\n" in arg.value or "(" in arg.value or " " in arg.value.strip()
    if isinstance(arg, ast.Name):
        for n in ast.walk(tree):
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == arg.id for t in n.targets):
                v = n.value
                return isinstance(v, ast.Constant) and isinstance(v.value, str) and "\n" in v.value
    return False


AXES_CLASSES = ("Axes", "NumberPlane", "ThreeDAxes", "ComplexPlane", "PolarPlane")
AXIS_DICTS = ("axis_config", "x_axis_config", "y_axis_config", "z_axis_config")
AXIS_DICT_KEYS = {**NUMBER_LINE_OPTIONS, "x_min": "", "x_max": "", "tick_frequency": "",
                  "include_tip": "include_tip", "numbers_to_show": "numbers_to_include"}


def _axis_dict_edits(code: str, node: ast.Call, starts) -> list[Edit]:
    """Old NumberLine keys inside an Axes' axis_config={...} literal: renamed, or removed."""
    edits = []
    for k in node.keywords:
        if k.arg not in AXIS_DICTS or not isinstance(k.value, ast.Dict):
            continue
        for key, value in zip(k.value.keys, k.value.values):
            if not (isinstance(key, ast.Constant) and key.value in AXIS_DICT_KEYS) or \
                    AXIS_DICT_KEYS[key.value] == key.value:
                continue
            new = AXIS_DICT_KEYS[key.value]
            if new:
                a, b = span(starts, key)
                quote = src(code, key)[:1]
                edits.append(Edit(a, b, f"{quote}{new}{quote}", f"{k.arg}: {key.value!r} -> {new!r} (NumberLine's "
                                                                 "option)"))
            else:
                a = span(starts, key)[0]
                b = span(starts, value)[1]
                rest = code[b:b + 2]
                b += 2 if rest == ", " else 1 if rest[:1] == "," else 0
                edits.append(Edit(a, b, "", f"{k.arg}: removed {key.value!r} (NumberLine has no such option)"))
    return edits


def _kw_text(code: str, k: ast.keyword) -> str:
    return f"{k.arg}={src(code, k.value)}" if k.arg else f"**{src(code, k.value)}"


@dataclass
class _Call:
    """One call being rewritten: its parts as source text, and what was changed."""
    code: str
    node: ast.Call
    args: list
    func: Optional[str] = None  # None: unchanged
    kwargs: Optional[list] = None  # None: unchanged
    what: list = field(default_factory=list)

    def owner(self) -> str:
        """The source of what a method is called on (`axes` in `axes.get_graph(...)`)."""
        func = self.node.func
        return src(self.code, func.value) if isinstance(func, ast.Attribute) else ""

    def keywords(self) -> list[str]:
        if self.kwargs is None:
            self.kwargs = [_kw_text(self.code, k) for k in self.node.keywords]
        return self.kwargs

    def given(self, name: str) -> bool:
        return any(k.arg == name for k in self.node.keywords)


def _always_redraw(c: _Call) -> None:
    """manimgl's always_redraw(func, *args, **kwargs) rebuilds func(*args); getters are meant live."""
    n = c.node
    if len(n.args) >= 2 or (n.args and n.keywords and not isinstance(n.args[0], ast.Lambda)):
        inner = [f"{x}()" if isinstance(a, ast.Attribute) and a.attr.startswith("get_") else x
                 for a, x in zip(n.args[1:], c.args[1:])] + c.keywords()
        c.args, c.kwargs = [f"lambda: {c.args[0]}({', '.join(inner)})"], []
        c.what.append("always_redraw(func, *args) -> always_redraw(lambda: func(...)) (manimgl's form)")


def _manim_options(c: _Call, cls: str, tree: ast.Module) -> None:
    fixed = _option_fixes(c.code, c.node, cls, manim_api.accepted_keywords(cls))
    if fixed:
        c.kwargs, more = fixed
        c.what += more
    if cls == "Code" and _code_string_arg(c.node, tree):
        c.kwargs = [f"code_string={c.args[0]}"] + c.keywords()
        c.args = c.args[1:]
        c.what.insert(0, "the code text goes in code_string= (a first positional argument is a file name)")
    if cls in SHIFT_ANIMATIONS and len(c.node.args) >= 2 and _is_direction(c.node.args[-1]) and not c.given("shift"):
        direction = c.args[-1]
        c.kwargs = [f"shift={direction}"] + c.keywords()
        c.args = c.args[:-1]
        c.what.append(f"{cls}(m, {direction}) -> {cls}(m, shift={direction})")


def _method_options(c: _Call, meth: str) -> None:
    fixed = _option_fixes(c.code, c.node, meth, None)
    if fixed:
        c.kwargs, more = fixed
        c.what += more
    if meth == "get_area" and len(c.node.args) == 3:
        c.kwargs = [f"x_range=[{c.args[1]}, {c.args[2]}]"] + c.keywords()
        c.args = c.args[:1]
        c.what.append("get_area(graph, a, b) -> get_area(graph, x_range=[a, b])")
    if meth == "get_riemann_rectangles" and c.given("start_color") and c.given("end_color"):
        kws = {k.arg: src(c.code, k.value) for k in c.node.keywords}
        c.kwargs = [x for x in c.keywords() if not x.startswith("color=")] + [
            f"color=({kws['start_color']}, {kws['end_color']})"]


def _backstroke(c: _Call) -> None:
    given = {k.arg: src(c.code, k.value) for k in c.node.keywords if k.arg}
    colour = c.args[0] if c.args else given.get("color", "BLACK")
    width = c.args[1] if len(c.args) > 1 else given.get("width", "3")
    c.args, c.kwargs = [colour], [f"width={width}", "background=True"]
    c.func = c.owner() + ".set_stroke"
    c.what.append(".set_backstroke() -> .set_stroke(..., background=True) (manimgl's outline behind text)")


def _plot_colour(c: _Call) -> None:
    """GraphScene's get_graph(func, color, x_min, x_max), now plot(func, x_range, …)."""
    if len(c.node.args) < 2 or not _is_colour(c.node.args[1]) or c.given("color"):
        return
    extra = c.args[1:]
    c.kwargs = [f"color={extra[0]}"] + ([f"x_range=[{extra[1]}, {extra[2]}]"] if len(extra) >= 3 else []) \
        + c.keywords()
    c.args = c.args[:1]
    c.what.append("plot(f, colour" + (", x_min, x_max" if len(extra) >= 3 else "") + ") -> plot(f, color=…"
                  + (", x_range=[…]" if len(extra) >= 3 else "") + ") (GraphScene's get_graph order)")


def _vertical_line_to_graph(c: _Call) -> None:
    if len(c.node.args) < 2:
        return
    owner = c.owner()
    c.args = [f"{owner}.i2gp({c.args[0]}, {c.args[1]})"] + c.args[2:]
    c.func = f"{owner}.get_vertical_line"
    c.what.append(f"{owner}.get_vertical_line_to_graph(x, graph) -> {owner}.get_vertical_line({owner}.i2gp(x, "
                  "graph)) (removed in Manim Community)")


def _renamed_method(c: _Call, meth: str) -> None:
    c.func = c.owner() + "." + METHODS[meth]
    c.what.append(f".{meth}() -> .{METHODS[meth]}() (renamed in Manim Community)")


def _call_edits(code: str, tree: ast.Module, names: _Names) -> list[Edit]:
    starts = line_starts(code)
    edits = []
    user_methods = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        cls = _manim_callable(node, names)
        meth = node.func.attr if isinstance(node.func, ast.Attribute) and node.func.attr not in user_methods \
            else None
        c = _Call(code, node, [src(code, x) for x in node.args])
        if cls == "always_redraw":
            _always_redraw(c)
        elif cls:
            if cls in AXES_CLASSES:
                edits += _axis_dict_edits(code, node, starts)
            _manim_options(c, cls, tree)
        elif meth in OPTIONS:
            _method_options(c, meth)
        if meth == "set_backstroke":
            _backstroke(c)
        elif meth == "plot":
            _plot_colour(c)
        elif meth == "get_vertical_line_to_graph":
            _vertical_line_to_graph(c)
        elif meth in METHODS and not manim_api.is_mobject_method(meth):
            _renamed_method(c, meth)
        if c.what:
            new = call_text(code, starts, node, c.func or src(code, node.func), c.args + c.keywords())
            a, b = span(starts, node)
            edits.append(Edit(a, b, new, f"{cls or meth or 'call'}(...): " + "; ".join(c.what)))
    return edits


def fix_calls(code: str, fixes: list[Fix]) -> str:
    # nested calls: the outer one first, then the inner ones on the next pass
    return rewrite(code, fixes, lambda code, tree, starts: _call_edits(code, tree, _names(tree)), passes=6)


# ------------------------------------------------------------------------------------ statements
def _is_main_guard(stmt: ast.stmt) -> bool:
    t = stmt.test if isinstance(stmt, ast.If) else None
    return (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
            and len(t.comparators) == 1 and isinstance(t.comparators[0], ast.Constant)
            and t.comparators[0].value == "__main__")


def _removed_statement(stmt: ast.stmt) -> Optional[str]:
    """Why a statement that only makes sense in manimgl goes, or None."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return None
    func = stmt.value.func
    if isinstance(func, ast.Attribute) and func.attr in EMBED_METHODS and isinstance(func.value, ast.Name) \
            and func.value.id == "self":
        return "manimgl's interactive shell; a render has no terminal"
    if isinstance(func, ast.Name) and func.id == "digest_config":
        return "manimgl's CONFIG machinery; the CONFIG entries are class attributes now"
    return None


def _scene_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    """Scene bases that the code's camera use needs, and manimgl's self.embed() removed."""
    edits = []
    for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
        base = next((b for b in cls.bases if isinstance(b, ast.Name) and b.id == "Scene"), None)
        if base is None:
            continue
        body = src(code, cls)
        used = {n.func.attr for n in ast.walk(cls) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"}
        new = None
        if used & THREE_D_METHODS or ".reorient(" in body or ".fix_in_frame()" in body:
            new, why = "ThreeDScene", (f"it calls self.{sorted(used & THREE_D_METHODS)[0]}" if used & THREE_D_METHODS
                                       else "it turns manimgl's 3-D camera frame")
        elif "self." + MOVING_CAMERA_USE in body:
            new, why = "MovingCameraScene", "it moves self.camera.frame"
        if new:
            a, b = span(starts, base)
            edits.append(Edit(a, b, new, f"{cls.name}: Scene -> {new} ({why}, which only {new} has)"))
    for stmt in tree.body:
        if _is_main_guard(stmt):
            a = starts[stmt.lineno - 1]
            end = stmt.end_lineno or stmt.lineno
            b = starts[end] if end < len(starts) else len(code)
            edits.append(Edit(a, b, "", "removed the `if __name__ == \"__main__\":` block: a render imports the "
                                        "scene and never runs it as a script"))
    for node in ast.walk(tree):
        for attr in ("body", "orelse", "finalbody"):
            block = getattr(node, attr, None)
            if not isinstance(block, list):
                continue
            for stmt in block:
                reason = _removed_statement(stmt)
                if reason and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                    a, b = span(starts, stmt)
                    edits.append(Edit(a, b, "pass", f"removed {src(code, stmt.value.func)}() ({reason})"))
    return edits


def fix_scenes(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _scene_edits)


def _is_camera_frame(node: ast.expr, aliases: set[str]) -> bool:
    return (isinstance(node, ast.Name) and node.id in aliases) or (
        isinstance(node, ast.Attribute) and node.attr == "frame" and isinstance(node.value, ast.Attribute)
        and node.value.attr == "camera" and isinstance(node.value.value, ast.Name) and node.value.value.id == "self")


def _angles(code: str, call: ast.Call) -> list[str]:
    """manimgl reorient(theta, phi) in degrees, theta measured from Manim Community's -90°."""
    out = []
    for name, arg, shift in zip(("theta", "phi", "gamma"), call.args, (-90, 0, 0)):
        value = src(code, arg)
        try:
            number = ast.literal_eval(arg)
        except ValueError:
            number = None
        if isinstance(number, (int, float)):
            value = f"{number + shift:g}"
        elif shift:
            value = f"({value} - 90)"
        out.append(f"{name}={value} * DEGREES")
    return out


def _frame_3d_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    """manimgl's 3-D camera (`frame = self.camera.frame; frame.reorient(θ, φ)`, `mob.fix_in_frame()`) in a
    ThreeDScene: set_camera_orientation / move_camera / add_fixed_in_frame_mobjects."""
    edits = []
    for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)
                and any(isinstance(b, ast.Name) and b.id == "ThreeDScene" for b in n.bases)]:
        aliases = {t.id for n in ast.walk(cls) if isinstance(n, ast.Assign) and _is_camera_frame(n.value, set())
                   for t in n.targets if isinstance(t, ast.Name)}
        for stmt in [n for n in ast.walk(cls) if isinstance(n, ast.stmt)]:
            a, b = span(starts, stmt)
            call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
            f = call.func if call is not None else None
            if isinstance(stmt, ast.Assign) and _is_camera_frame(stmt.value, set()):
                edits.append(Edit(a, b, "pass", "removed `frame = self.camera.frame` (manimgl's 3-D camera; a "
                                                "ThreeDScene turns its camera itself)"))
            elif call is None:
                continue
            elif isinstance(f, ast.Attribute) and f.attr == "reorient" and _is_camera_frame(f.value, aliases):
                edits.append(Edit(a, b, f"self.set_camera_orientation({', '.join(_angles(code, call))})",
                                  "frame.reorient(θ, φ) -> self.set_camera_orientation(theta=, phi=) (manimgl's "
                                  "degrees; theta counted from Manim's -90°)"))
            elif isinstance(f, ast.Attribute) and f.attr == "fix_in_frame" and not call.args:
                edits.append(Edit(a, b, f"self.add_fixed_in_frame_mobjects({src(code, f.value)})",
                                  "mob.fix_in_frame() -> self.add_fixed_in_frame_mobjects(mob) (manimgl's form)"))
            elif isinstance(f, ast.Attribute) and f.attr == "play":
                turn = [x for x in call.args if isinstance(x, ast.Call) and isinstance(x.func, ast.Attribute)
                        and x.func.attr == "reorient" and isinstance(x.func.value, ast.Attribute)
                        and x.func.value.attr == "animate" and _is_camera_frame(x.func.value.value, aliases)]
                if len(turn) == 1:
                    others = [src(code, x) for x in call.args if x is not turn[0]]
                    kws = [_kw_text(code, k) for k in call.keywords]
                    extra = [f"added_anims=[{', '.join(others)}]"] if others else []
                    edits.append(Edit(a, b, f"self.move_camera({', '.join(_angles(code, turn[0]) + extra + kws)})",
                                      "self.play(frame.animate.reorient(θ, φ)) -> self.move_camera(theta=, phi=) "
                                      "(manimgl's 3-D camera)"))
    return edits


def fix_frame_3d(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _frame_3d_edits)


def fix_api(code: str, fixes: list[Fix]) -> str:
    code = fix_names(code, fixes)
    code = fix_definition_order(code, fixes)
    code = fix_calls(code, fixes)
    code = fix_scenes(code, fixes)
    code = fix_frame_3d(code, fixes)
    return code
