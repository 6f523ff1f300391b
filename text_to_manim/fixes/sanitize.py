"""Deterministic fixes that need no model, each recorded as a `Fix(what, line)`.

    new_code, fixes = sanitize(code)

Phases (each re-reads the code the previous one produced, so fixes compose):
0. prose and Markdown fences around the code removed (recover.strip_prose);
1. characters that break parsing: smart quotes as delimiters, U+2212 minus, ×, ÷, ≤, ≥, ≠, NBSP; then
   Python 3.12 f-strings rewritten for 3.11 (fstrings.modernize); then code that still does not parse
   recovered: a cut-off reply keeps its complete statements, a bracket left open mid-file is closed
   (recover.recover);
2. old imports: manimlib / big_ol_pile_of_manim_imports / manim_imports_ext -> `from manim import *`;
3. old names: ShowCreation -> Create, TextMobject -> Tex, TexMobject -> MathTex, CircleIndicate ->
   Circumscribe, ... (never a name the code defines itself; an import from a Manim module that lacks
   the new name imports it from `manim`);
4. TeX strings (found by tokenizing, with the call they are an argument of): non-raw strings with TeX
   escapes (`"\\frac"` is a form feed + "rac") made raw, `$…$` stripped inside MathTex, unicode math
   (α, ∫, ≤, ², …) to TeX commands, unbalanced braces and \\left/\\right closed;
5. old API shapes (via the AST, rewritten in the source so formatting and comments survive): CONFIG
   dicts -> class attributes, GraphScene -> Scene + Axes, get_graph -> plot, x_min/x_max -> x_range,
   FadeInFrom / FadeOutAndShift / FadeInFromDown -> FadeIn/FadeOut(shift=...), ApplyMethod and
   `self.play(m.shift, UP)` -> `m.animate.shift(UP)`, scale_about_point -> scale(about_point=);
6. a missing `from manim import *`;
7. the API of the installed Manim (api_fixes): missing imports, bare method calls, manimgl constants,
   colour names, helpers used before their definition, renamed/moved/removed keyword options, removed
   methods, camera-driven Scene bases, manimgl-only statements; render settings the scene sets for
   itself (pixel size, frame rate, renderer, output) left to the app (render_settings);
8. LaTeX that would not compile (tex_fixes): Tex holding math, MathTex holding prose, packages,
   nested align environments, math inside \\text{}, emoji.
What only shows at run time (missing files, 2-D points, options passed through **kwargs) is handled by
the shims inside the sandbox (sandbox/runner/shims.py) and reported the same way; what fails at run time
anyway gets the error-driven repair (fixes/from_error.py, scene/error_repair.py).

Lines in the fixes refer to the returned code.
"""
from __future__ import annotations

import ast
import keyword
import re
import tokenize
from dataclasses import dataclass, field
from typing import Optional

from text_to_manim.events import Fix
from text_to_manim.fixes import api_fixes, fstrings, recover, render_settings, tex_fixes
from text_to_manim.fixes.edits import (
    Edit,
    Starts,
    apply,
    ast_offset,
    call_text,
    func_name,
    indent_of,
    line_starts,
    offset,
    parse,
    rewrite,
    span,
    src,
    tokens,
)
from text_to_manim.tex.source import MATH_UNICODE, string_literal

# ----------------------------------------------------------------------------------------------- tables
RENAMES = {
    "ShowCreation": "Create",
    "TextMobject": "Tex",
    "TexMobject": "MathTex",
    "TexText": "Tex",
    "OldTex": "MathTex",
    "OldTexText": "Tex",
    "CircleIndicate": "Circumscribe",
    "ShowPassingFlashAround": "Circumscribe",
    "ShowCreationThenFadeAround": "Circumscribe",
    "ShowCreationThenDestructionAround": "Circumscribe",
    "WiggleOutThenIn": "Wiggle",
    "ShowCreationThenDestruction": "ShowPassingFlash",
    "ShowCreationThenFadeOut": "ShowPassingFlash",
    "ParametricSurface": "Surface",
    "SmallDot": "Dot",
    "DrawBorderThenFillAnimation": "DrawBorderThenFill",
    # manimgl names
    "TransformMatchingStrings": "TransformMatchingShapes",
    "FlashAround": "Circumscribe",
    "VShowPassingFlash": "ShowPassingFlash",
    "VFadeIn": "FadeIn",
    "VFadeOut": "FadeOut",
    "GlowDot": "Dot",
    "TrueDot": "Dot",
    "ParametricCurve": "ParametricFunction",
}
OLD_IMPORT_RE = re.compile(
    r"^[ \t]*(?:from[ \t]+(?:manimlib(?:\.[\w.]+)?|big_ol_pile_of_manim_imports|manim_imports_ext|manimce|"
    r"manimgl)[ \t]+import[ \t]+[^\n]*|import[ \t]+(?:manimlib|manimgl)\b[^\n]*)$", re.M)
STAR_IMPORT_RE = re.compile(r"^from[ \t]+manim[ \t]+import[ \t]+\*[ \t]*$", re.M)
ANY_MANIM_IMPORT_RE = re.compile(r"^[ \t]*(from[ \t]+manim(\.\w+)*[ \t]+import|import[ \t]+manim)\b", re.M)
MANIM_USE_RE = re.compile(r"^\s*class\s+\w+\s*\([^)]*Scene[^)]*\)\s*:|\b(MathTex|Tex|Circle|Square|Axes|VGroup|"
                          r"Create|Write|FadeIn|FadeOut|Dot|Arrow|NumberPlane|Transform)\s*\(", re.M)

# characters that make code unparseable outside strings
CODE_CHARS = {"\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00f7": "/", "\u2264": "<=", "\u2265": ">=",
              "\u2260": "!=", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\ufeff": "",
              "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'", "\u00b7": "*",
              "\u22c5": "*", "\u2026": "..."}
QUOTE_PAIRS = {"\u201c": "\u201d", "\u2018": "\u2019", "\u201d": "\u201d", "\u2019": "\u2019"}

# TeX-taking callables: positional string args are TeX source.
MATH_CALLS = {"MathTex", "SingleStringMathTex", "TexMobject", "MathTable", "get_graph_label", "get_axis_labels",
              "get_x_axis_label", "get_y_axis_label", "get_tex", "BraceLabel", "Integer", "DecimalNumber",
              "Variable", "Matrix", "IntegerMatrix", "DecimalMatrix", "MobjectMatrix"}
TEXT_CALLS = {"Tex", "TextMobject", "Title", "BulletedList", "get_text", "BraceText", "TexText"}
TEX_SUBSTRING_CALLS = {"set_color_by_tex", "get_part_by_tex", "get_parts_by_tex", "index_of_part_by_tex",
                       "set_color_by_tex_to_color_map", "TransformMatchingTex"}
PANGO_CALLS = {"Text", "MarkupText", "Paragraph", "print", "Code", "format", "join", "split", "replace",
               "startswith", "endswith", "log", "write"}
TEX_WORDS = set("""frac dfrac tfrac sqrt sum int iint oint prod lim log ln exp sin cos tan sec csc cot arcsin arccos
arctan sinh cosh tanh alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi
Psi Omega infty partial nabla cdot cdots ldots dots vdots ddots times div pm mp leq le geq ge neq ne approx equiv
sim simeq cong propto in notin subset subseteq supset cup cap emptyset forall exists neg land lor to mapsto
rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow iff implies left right big Big bigg
langle rangle lfloor rfloor lceil rceil vec hat bar tilde dot ddot overline underline overbrace underbrace
mathbf mathrm mathbb mathcal mathit mathsf boldsymbol text textbf textit operatorname displaystyle quad qquad
binom choose over begin end hbar ell det max min arg sup inf mid vert Vert circ star ast dagger otimes oplus
wedge vee perp parallel angle triangle square checkmark limits nolimits color textcolor newline""".split())

SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ", "0123456789+-=()niT"))
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₖₙₜ", "0123456789+-=()aeoxijknt"))

OPPOSITE = {"UP": "DOWN", "DOWN": "UP", "LEFT": "RIGHT", "RIGHT": "LEFT", "UL": "DR", "DR": "UL", "UR": "DL",
            "DL": "UR", "IN": "OUT", "OUT": "IN"}
PLAY_METHODS = {"shift", "move_to", "scale", "rotate", "set_color", "next_to", "to_edge", "to_corner", "set_fill",
                "set_stroke", "become", "flip", "stretch", "set_opacity", "fade", "arrange", "center",
                "set_height", "set_width", "scale_to_fit_width", "scale_to_fit_height", "align_to",
                "match_height", "match_width", "set_x", "set_y", "set_value", "increment_value", "fade_to",
                "set_color_by_gradient", "set_submobject_colors_by_gradient", "restore", "shift_onto_screen",
                "move_arc_center_to", "put_start_and_end_on", "set_points_as_corners", "to_original_color",
                "rotate_about_origin", "apply_function", "apply_matrix", "apply_complex_function",
                "apply_points_function_about_point", "set_angle", "surround", "rescale_to_fit",
                "stretch_to_fit_width", "stretch_to_fit_height", "space_out_submobjects"}
RANGE_CALLS = {"Axes", "NumberPlane", "ThreeDAxes", "ComplexPlane", "NumberLine", "FunctionGraph", "plot",
               "get_graph", "get_riemann_rectangles", "get_area", "ParametricFunction", "plot_parametric_curve",
               "Surface", "ParametricSurface", "UnitInterval"}
GRAPH_SELF_METHODS = {"get_graph": "axes.plot", "coords_to_point": "axes.c2p", "c2p": "axes.c2p",
                      "point_to_coords": "axes.p2c", "p2c": "axes.p2c",
                      "input_to_graph_point": "axes.input_to_graph_point", "i2gp": "axes.i2gp",
                      "get_graph_label": "axes.get_graph_label",
                      "get_riemann_rectangles": "axes.get_riemann_rectangles", "get_area": "axes.get_area",
                      "get_derivative_graph": "axes.plot_derivative_graph",
                      "get_secant_slope_group": "axes.get_secant_slope_group",
                      "get_vertical_lines_to_graph": "axes.get_vertical_lines_to_graph",
                      "angle_of_tangent": "axes.angle_of_tangent", "slope_of_tangent": "axes.slope_of_tangent",
                      "x_axis": "axes.x_axis", "y_axis": "axes.y_axis"}
GRAPH_DEFAULTS = [("x_min", "-1"), ("x_max", "10"), ("x_axis_width", "9"), ("x_tick_frequency", "1"),
                  ("y_min", "-1"), ("y_max", "10"), ("y_axis_height", "6"), ("y_tick_frequency", "1"),
                  ("axes_color", "GREY"), ("graph_origin", "2.5 * DOWN + 4 * LEFT")]


# ----------------------------------------------------------------------------------------------- helpers
# ------------------------------------------------------------------------------- phase 1: bad characters
def _fix_chars(code: str, fixes: list[Fix]) -> str:
    for _ in range(300):
        try:
            compile(code, "<scene>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
            return code
        except SyntaxError as exc:
            m = re.search(r"invalid (?:non-printable )?character '?(.)'? \(U\+([0-9A-F]+)\)", str(exc.msg))
            if not m or not exc.lineno:
                return code
            ch = chr(int(m.group(2), 16))
            if ch not in CODE_CHARS:
                return code
            starts = line_starts(code)
            line_text = code[starts[exc.lineno - 1]:starts[exc.lineno]]
            col = line_text.find(ch)
            if col < 0:
                return code
            pos = starts[exc.lineno - 1] + col
            repl = CODE_CHARS[ch]
            edits = [Edit(pos, pos + 1, repl, f"replaced {ch!r} (U+{ord(ch):04X}) with {repl!r} in code")]
            if ch in QUOTE_PAIRS:  # a smart quote used as a string delimiter: fix its partner too
                close = line_text.find(QUOTE_PAIRS[ch], col + 1)
                if close < 0 and ch in "\u201c\u201d":
                    close = line_text.find("\u201d" if ch == "\u201c" else "\u201c", col + 1)
                if close >= 0:
                    edits.append(Edit(starts[exc.lineno - 1] + close, starts[exc.lineno - 1] + close + 1, repl))
            code = apply(code, edits, fixes)
    return code


# ----------------------------------------------------------------------------------- phase 2: imports
def _fix_imports(code: str, fixes: list[Fix]) -> str:
    edits = []
    have_star = bool(STAR_IMPORT_RE.search(code))
    for m in OLD_IMPORT_RE.finditer(code):
        indent = m.group(0)[:len(m.group(0)) - len(m.group(0).lstrip(" \t"))]
        if have_star:
            end = m.end() + 1 if code[m.end():m.end() + 1] == "\n" else m.end()
            edits.append(Edit(m.start(), end, "", f"removed old import `{m.group(0).strip()}`"))
        else:
            edits.append(Edit(m.start(), m.end(), indent + "from manim import *",
                               f"`{m.group(0).strip()}` -> `from manim import *` (Manim Community)"))
            have_star = True
    return apply(code, edits, fixes)


def _fix_missing_import(code: str, fixes: list[Fix]) -> str:
    if ANY_MANIM_IMPORT_RE.search(code) or not MANIM_USE_RE.search(code):
        return code
    # After a shebang/encoding line, a module docstring and `from __future__` imports.
    tree = parse(code)
    insert_line = 0
    if tree is not None:
        for node in tree.body:
            if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str) and node is tree.body[0]) or (
                    isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                insert_line = node.end_lineno or node.lineno
            else:
                break
    lines = code.split("\n")
    while insert_line < len(lines) and insert_line == 0 and lines[0].startswith("#!"):
        insert_line = 1
    starts = line_starts(code)
    pos = starts[insert_line] if insert_line < len(starts) else len(code)
    if pos > len(code):
        pos = len(code)
    prefix = "" if pos == 0 or code[pos - 1:pos] == "\n" else "\n"
    return apply(code, [Edit(pos, pos, prefix + "from manim import *\n", "added missing `from manim import *`")],
                  fixes)


# -------------------------------------------------------------------------------------- phase 3: names
def _is_manim_module(module: Optional[str]) -> bool:
    return module is not None and (module == "manim" or module.startswith("manim."))


def user_bound(tree: ast.Module) -> set[str]:
    """Names the code binds itself (classes, functions, assignments, arguments, imports from elsewhere
    than Manim): a rename or a fix for a missing name must leave them alone."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            out.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.Import):
            out.update((a.asname or a.name).split(".")[0] for a in node.names if not _is_manim_module(a.name))
        elif isinstance(node, ast.ImportFrom) and not _is_manim_module(node.module):
            out.update(a.asname or a.name for a in node.names)
    return out


def _rename_imports(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    """`from manim... import Old`: rename in place when the new name lives in that module too; otherwise
    import the new name from `manim`, where every Manim Community name is (issue 12.1)."""
    from text_to_manim.fixes import manim_api

    edits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and _is_manim_module(node.module) and not node.level):
            continue
        old = [a for a in node.names if a.name in RENAMES]
        if not old:
            continue
        moved = [a for a in old if node.module != "manim" and not manim_api.module_has(node.module or "", RENAMES[a.name])]
        for a in old:
            if a not in moved:
                pos = ast_offset(starts, a.lineno, a.col_offset)
                edits.append(Edit(pos, pos + len(a.name), RENAMES[a.name],
                                   f"{a.name} -> {RENAMES[a.name]} (renamed in Manim Community)"))
        if moved:
            kept = [a for a in node.names if a not in moved]
            ind = indent_of(code, starts, node.lineno)
            names = lambda aliases: ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in aliases)
            lines = ([f"from {node.module} import {names(kept)}"] if kept else []) + [
                "from manim import " + ", ".join(RENAMES[a.name] + (f" as {a.asname}" if a.asname else "")
                                                 for a in moved)]
            lo, hi = span(starts, node)
            what = "; ".join(f"{x.name} -> {RENAMES[x.name]}, imported from manim ({node.module} has no "
                             f"{RENAMES[x.name]})" for x in moved)
            edits.append(Edit(lo, hi, ("\n" + ind).join(lines), what))
    return edits


def _fix_names(code: str, fixes: list[Fix]) -> str:
    toks = tokens(code)
    starts = line_starts(code)
    tree = parse(code)
    mine = user_bound(tree) if tree is not None else set()
    edits = _rename_imports(code, tree, starts) if tree is not None else []
    seen = {e.what.split(" ")[0] for e in edits if e.what}
    imports = [(n.lineno, n.end_lineno or n.lineno) for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))] \
        if tree is not None else []
    prev = None
    for t in toks:
        if t.type == tokenize.NAME and t.string in RENAMES and t.string not in mine and not (
                prev and prev.string == ".") and not any(a <= t.start[0] <= b for a, b in imports):
            a = offset(starts, *t.start)
            new = RENAMES[t.string]
            first = t.string not in seen
            seen.add(t.string)
            edits.append(Edit(a, a + len(t.string), new, f"{t.string} -> {new} (renamed in Manim Community)"
                               if first else None))
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
            prev = t
    return apply(code, edits, fixes)


# ------------------------------------------------------------------------------------ phase 4: strings
@dataclass
class _Str:
    tok: tokenize.TokenInfo
    start: int
    end: int
    prefix: str
    quote: str
    body: str
    mode: Optional[str]  # "math" | "text" | "tex" (substring) | "pango" | None
    call: Optional[str]
    frame_id: int = -1
    arg_index: int = -1
    pure_arg: bool = False


@dataclass
class _Frame:
    func: Optional[str]
    opener: str
    id: int
    arg_index: int = 0
    kw: Optional[str] = None
    arg_has_other: bool = False
    arg_strings: list = field(default_factory=list)


def _split_string(s: str) -> Optional[tuple[str, str, str]]:
    m = re.match(r"^([A-Za-z]*)('''|\"\"\"|'|\")", s)
    if not m:
        return None
    prefix, quote = m.group(1), m.group(2)
    if not s.endswith(quote) or len(s) < len(prefix) + 2 * len(quote):
        return None
    return prefix, quote, s[len(prefix) + len(quote):len(s) - len(quote)]


def _mode_for(func: Optional[str], kw: Optional[str]) -> Optional[str]:
    if func is None:
        return None
    if kw in ("label", "x_label", "y_label", "unit", "tex_string") and func in MATH_CALLS | {"get_graph_label"}:
        return "math"
    if kw not in (None, "label", "x_label", "y_label"):
        return None
    if func in MATH_CALLS:
        return "math"
    if func in TEXT_CALLS:
        return "text"
    if func in TEX_SUBSTRING_CALLS:
        return "tex"
    if func in PANGO_CALLS:
        return "pango"
    return None


def _scan_strings(code: str) -> list[_Str]:
    toks = tokens(code)
    starts = line_starts(code)
    stack: list[_Frame] = []
    out: list[_Str] = []
    prev_sig = None
    next_id = 0
    for i, t in enumerate(toks):
        if t.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
            continue
        if t.type == tokenize.OP and t.string in "([{":
            func = prev_sig.string if (t.string == "(" and prev_sig is not None and prev_sig.type == tokenize.NAME
                                       and not keyword.iskeyword(prev_sig.string)) else None
            if stack:
                stack[-1].arg_has_other = True
            stack.append(_Frame(func, t.string, next_id))
            next_id += 1
        elif t.type == tokenize.OP and t.string in ")]}":
            if stack:
                stack.pop()
        elif t.type == tokenize.OP and t.string == "," and stack:
            f = stack[-1]
            f.arg_index += 1
            f.kw = None
            f.arg_has_other = False
        elif t.type == tokenize.OP and t.string == "=" and stack and prev_sig is not None \
                and prev_sig.type == tokenize.NAME:
            stack[-1].kw = prev_sig.string
        elif t.type == tokenize.STRING:
            parts = _split_string(t.string)
            if parts:
                prefix, quote, body = parts
                frame = stack[-1] if stack and stack[-1].opener == "(" else None
                func, kw = (frame.func, frame.kw) if frame else (None, None)
                a = offset(starts, *t.start)
                b = offset(starts, *t.end)
                s = _Str(t, a, b, prefix, quote, body, _mode_for(func, kw), func)
                if frame and kw is None:
                    s.frame_id, s.arg_index = frame.id, frame.arg_index
                    s.pure_arg = not frame.arg_has_other
                out.append(s)
        else:
            if stack and t.type != tokenize.STRING:
                # A name/number/operator inside the current argument: the argument is not a pure string.
                if not (t.type == tokenize.NAME and toks[i + 1:i + 2] and toks[i + 1].string == "="):
                    stack[-1].arg_has_other = True
        prev_sig = t
    return out


def _bad_escapes(body: str) -> list[str]:
    """Single-backslash sequences that are TeX in intent: `\\frac`, `\\,`, `\\{` (not `\\\\`, `\\"`)."""
    found, i = [], 0
    while i < len(body) - 1:
        if body[i] == "\\":
            n = body[i + 1]
            if n == "\\":
                i += 2
                continue
            if n.isalpha():
                m = re.match(r"[A-Za-z]+", body[i + 1:])
                found.append(m.group(0) if m else n)
            elif n in "{}[],;:!| %#&^_()<>.-=":
                found.append(n)
            i += 2
            continue
        i += 1
    return found


def _escaped_to_value(body: str) -> str:
    """How a writer who escapes backslashes (\"\\\\frac\") meant the body: `\\\\` is one backslash."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n == "\\":
                out.append("\\")
            elif n in "'\"":
                out.append(n)
            elif n == "\n":
                pass
            else:
                out.append("\\" + n)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


class _Out(list):
    _wrapped = -1


def _unicode_to_tex(body: str, mode: str, raw: bool) -> tuple[str, list[str]]:
    """Map unicode math to TeX; `mode` math or text (text wraps in $…$ outside math)."""
    bs = "\\" if raw else "\\\\"
    out, changed, i, in_math = _Out(), [], 0, mode == "math"
    while i < len(body):
        c = body[i]
        if c == "$" and mode == "text" and (i == 0 or body[i - 1] != "\\"):
            in_math = not in_math
            out.append(c)
            i += 1
            continue
        tex = None
        if c in SUPERSCRIPTS or c in SUBSCRIPTS:
            table, mark = (SUPERSCRIPTS, "^") if c in SUPERSCRIPTS else (SUBSCRIPTS, "_")
            j = i
            while j < len(body) and body[j] in table:
                j += 1
            tex = mark + "{" + "".join(table[ch] for ch in body[i:j]) + "}"
            changed.append(body[i:j])
            i = j
        elif c in MATH_UNICODE:
            cmd = MATH_UNICODE[c].replace("\\", bs)
            changed.append(c)
            i += 1
            if c == "√" and i < len(body) and body[i] == "(":
                depth, j = 0, i
                while j < len(body):
                    depth += {"(": 1, ")": -1}.get(body[j], 0)
                    if depth == 0:
                        break
                    j += 1
                if j < len(body):
                    cmd += "{" + body[i + 1:j] + "}"
                    i = j + 1
            elif cmd[-1].isalpha() and i < len(body) and body[i].isascii() and body[i].isalnum():
                cmd += " "
            tex = cmd
        if tex is None:
            out.append(c)
            i += 1
            continue
        if in_math:
            out.append(tex)
        elif out and out[-1].endswith("$") and getattr(out, "_wrapped", None) == len(out):
            out[-1] = out[-1][:-1] + tex + "$"  # merge with the math run just emitted: $\alpha^{2}$
            out._wrapped = len(out)
        else:
            out.append("$" + tex + "$")
            out._wrapped = len(out)
    return "".join(out), changed


def _tex_repair(value: str) -> tuple[list[tuple[int, str, str]], list[str]]:
    """Operations that balance braces and \\left/\\right: (position, "ins"|"del", text) and what they do.

    An unclosed `{` is closed where its group must end: before the `\\right` of an enclosing `\\left`
    (`\\left( x^{2 \\right)` gets `x^{2}`), or at the end. A `\\left` still open when its brace
    group closes gets `\\right.` there; a `\\right` with no `\\left` gets `\\left.` at the start of
    its group; an unmatched `}` is removed."""
    ops: list[tuple[int, str, str]] = []
    stack: list[tuple[str, int]] = []  # ("{", pos) | ("left", pos)
    counts = {"close": 0, "right": 0, "left": 0, "del": 0}
    group_start = [0]
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            m = re.match(r"\\(left|right)(?![A-Za-z])", value[i:])
            if m and m.group(1) == "left":
                stack.append(("left", i))
                i += 5
                continue
            if m and m.group(1) == "right":
                if any(k == "left" for k, _ in stack):
                    while stack and stack[-1][0] == "{":
                        stack.pop()
                        ops.append((i, "ins", "}"))
                        counts["close"] += 1
                    stack.pop()
                else:
                    ops.append((group_start[-1], "ins", "\\left. "))
                    counts["left"] += 1
                i += 6
                continue
            i += 2
            continue
        if c == "{":
            stack.append(("{", i))
            group_start.append(i + 1)
        elif c == "}":
            while stack and stack[-1][0] == "left":
                stack.pop()
                ops.append((i, "ins", " \\right."))
                counts["right"] += 1
            if stack:
                stack.pop()
                if len(group_start) > 1:
                    group_start.pop()
            else:
                ops.append((i, "del", ""))
                counts["del"] += 1
        i += 1
    for kind, _ in reversed(stack):
        if kind == "{":
            ops.append((len(value), "ins", "}"))
            counts["close"] += 1
        else:
            ops.append((len(value), "ins", " \\right."))
            counts["right"] += 1
    what = []
    if counts["close"]:
        what.append(f"closed {counts['close']} unclosed '{{'")
    if counts["del"]:
        what.append(f"removed {counts['del']} unmatched '}}'")
    if counts["right"]:
        what.append(f"added {counts['right']} \\right. for an unmatched \\left")
    if counts["left"]:
        what.append(f"added {counts['left']} \\left. for an unmatched \\right")
    return ops, what


def _fix_strings(code: str, fixes: list[Fix]) -> str:
    strs = _scan_strings(code)
    edits: list[Edit] = []
    new_bodies: dict[int, tuple[str, str, str]] = {}  # start -> (prefix, quote, body)
    for s in strs:
        p = s.prefix.lower()
        if "b" in p:
            continue
        prefix, body, quote = s.prefix, s.body, s.quote
        whats = []
        bad = _bad_escapes(body) if "r" not in p else []
        # 1. non-raw TeX string
        is_tex_context = s.mode in ("math", "text", "tex")
        tex_words = [w for w in bad if w in TEX_WORDS]
        if bad and (is_tex_context or (s.mode != "pango" and tex_words)):
            singles = len(re.findall(r"(?<!\\)\\[A-Za-z{},;!]", body))
            doubles = len(re.findall(r"\\\\[A-Za-z{},;!]", body))
            value = body if singles >= doubles else _escaped_to_value(body)
            lit = string_literal(value, quote, prefix)
            if lit.startswith("r") or "r" in lit[:2]:
                escapes = ", ".join(dict.fromkeys("\\" + w for w in bad))[:60]
                whats.append(f"made TeX string raw ({escapes}: a non-raw \"\\f\" is a form feed)")
                parts = _split_string(lit)
                assert parts is not None  # _literal made a literal
                prefix, quote, body = parts
        raw = "r" in prefix.lower()
        if s.mode == "math":
            # 2. $…$ / \[ \] delimiters inside MathTex
            stripped = re.sub(r"(?<!\\)\$", "", body)
            stripped = re.sub(r"^\s*\\\[|\\\]\s*$", "", stripped) if raw else stripped
            if stripped != body:
                whats.append("removed $ delimiters inside a math-mode string (MathTex is already math)")
                body = stripped
        if s.mode in ("math", "text") and "f" not in prefix.lower():
            # 3. unicode math
            if any(c in MATH_UNICODE or c in SUPERSCRIPTS or c in SUBSCRIPTS for c in body):
                if not raw and "\\" not in body:
                    prefix, raw = "r" + prefix.replace("u", "").replace("U", ""), True
                new, replaced = _unicode_to_tex(body, s.mode, raw)
                if replaced:
                    whats.append("unicode math to TeX: " + ", ".join(dict.fromkeys(replaced))[:40])
                    body = new
        if whats or (prefix, quote, body) != (s.prefix, s.quote, s.body):
            new_bodies[s.start] = (prefix, quote, body)
            edits.append(Edit(s.start, s.end, prefix + quote + body + quote, "; ".join(whats) or None))
    # 4. unbalanced braces, over all the pure string arguments of one TeX call (MathTex("{", "x", "}") is fine)
    groups: dict[int, list[_Str]] = {}
    for s in strs:
        if s.mode in ("math", "text") and s.frame_id >= 0 and s.pure_arg and "f" not in s.prefix.lower() \
                and "b" not in s.prefix.lower():
            groups.setdefault(s.frame_id, []).append(s)
    by_start = {e.start: e for e in edits}
    for members in groups.values():
        bodies = []
        for s in members:
            prefix, quote, body = new_bodies.get(s.start, (s.prefix, s.quote, s.body))
            value = body if "r" in prefix.lower() else _escaped_to_value(body)
            bodies.append((s, prefix, quote, body, value))
        joined = " ".join(v for *_, v in bodies)
        ops, what = _tex_repair(joined)
        if not ops:
            continue
        changed: dict[int, str] = {}
        if all(b[3] == b[4] for b in bodies):
            # Map each operation on the joined value back to its string (body == value here).
            per: dict[int, list] = {}
            base = 0
            for k, (s, prefix, quote, body, value) in enumerate(bodies):
                end = base + len(value)
                for pos, op, text in ops:
                    last = k == len(bodies) - 1
                    if base <= pos < end or (pos == end and (last or op == "ins")):
                        per.setdefault(k, []).append((pos - base, op, text))
                base = end + 1
            for k, kops in per.items():
                s, prefix, quote, body, value = bodies[k]
                raw = "r" in prefix.lower() or "\\" not in body
                for pos, op, text in sorted(kops, key=lambda o: -o[0]):
                    if op == "del":
                        body = body[:pos] + body[pos + 1:]
                    else:
                        body = body[:pos] + (text if raw else text.replace("\\", "\\\\")) + body[pos:]
                changed[s.start] = body
        else:  # non-raw strings with escapes: only append/prepend what is missing
            s0, s1 = bodies[0], bodies[-1]
            bs = "\\\\"
            head = "".join(t.replace("\\", bs) for p_, op, t in ops if op == "ins" and p_ == 0)
            tail = "".join(t.replace("\\", bs) for p_, op, t in ops if op == "ins" and p_ >= len(joined))
            if head:
                changed[s0[0].start] = head + s0[3]
            if tail:
                changed[s1[0].start] = changed.get(s1[0].start, s1[3]) + tail
        first = True
        for s, prefix, quote, body, value in bodies:
            if s.start not in changed:
                continue
            text = prefix + quote + changed[s.start] + quote
            old = by_start.get(s.start)
            note = ("unbalanced TeX braces: " + ", ".join(what)) if first else None
            first = False
            if old is not None:
                old.text = text
                old.what = "; ".join(x for x in (old.what, note) if x) or None
            else:
                e = Edit(s.start, s.end, text, note)
                edits.append(e)
                by_start[s.start] = e
    return apply(code, edits, fixes)


# ---------------------------------------------------------------------------------------- phase 5: AST
def _config_dicts(tree: ast.Module) -> dict[str, dict]:
    """class name -> its CONFIG entries {key: value node}, for the classes whose CONFIG is a plain dict."""
    out = {}
    for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
        for stmt in cls.body:
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id == "CONFIG" and isinstance(stmt.value, ast.Dict)):
                out[cls.name] = {k.value: v for k, v in zip(stmt.value.keys, stmt.value.values)
                                 if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return out


def _inherited_from(cls: ast.ClassDef, key: str, configs: dict, classes: dict) -> Optional[str]:
    """The nearest base class in the file whose CONFIG has `key` as a dict (manimgl merges those)."""
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            if isinstance(configs.get(base.id, {}).get(key), ast.Dict):
                return base.id
            deeper = _inherited_from(classes[base.id], key, configs, classes)
            if deeper:
                return deeper
    return None


def _config_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    configs = _config_dicts(tree)
    classes = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    edits = []
    for cls in classes.values():
        for stmt in cls.body:
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id == "CONFIG" and isinstance(stmt.value, ast.Dict)):
                keys = [k.value for k in stmt.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
                        and k.value.isidentifier() and not keyword.iskeyword(k.value)]
                if len(keys) != len(stmt.value.keys):
                    continue
                ind = indent_of(code, starts, stmt.lineno)
                lines, merged = [], []
                for k, v in zip(keys, stmt.value.values):
                    base = _inherited_from(cls, k, configs, classes) if isinstance(v, ast.Dict) else None
                    if base:  # manimgl merged nested CONFIG dicts with the base class's: keep its keys
                        inner = src(code, v).strip()[1:-1].strip()
                        lines.append(f"{k} = {{**{base}.{k}" + (f", {inner}" if inner else "") + "}")
                        merged.append(k)
                    else:
                        lines.append(f"{k} = {src(code, v)}")
                text = ("\n" + ind).join(lines) if lines else "pass"
                a = ast_offset(starts, stmt.lineno, stmt.col_offset)
                b = ast_offset(starts, stmt.end_lineno or stmt.lineno, stmt.end_col_offset or 0)  # set by ast.parse
                names = ", ".join(keys)[:50]
                what = f"CONFIG dict in {cls.name} -> class attributes ({names})"
                if merged:
                    what += f"; {', '.join(merged)} merged with the base class's, as manimgl did"
                edits.append(Edit(a, b, text, what))
    return edits


def _fix_config(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _config_edits)


def _graphscene_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    edits = []
    for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
        bases = [b for b in cls.bases if isinstance(b, ast.Name) and b.id == "GraphScene"]
        if not bases:
            continue
        a, b = span(starts, bases[0])
        edits.append(Edit(a, b, "Scene", f"{cls.name}: GraphScene (removed from Manim) -> Scene with an Axes "
                                          "in self.axes"))
        defined = {t.id for s in cls.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
        methods = {s.name for s in cls.body if isinstance(s, ast.FunctionDef)}
        ind = indent_of(code, starts, cls.body[0].lineno)
        lines = ["# added by sanitize: what GraphScene used to provide"]
        lines += [f"{k} = {v}" for k, v in GRAPH_DEFAULTS if k not in defined]
        lines += [
            "",
            "def _graph_axes(self):",
            "    if getattr(self, \"axes\", None) is None:",
            "        self.axes = Axes(",
            "            x_range=[self.x_min, self.x_max, self.x_tick_frequency],",
            "            y_range=[self.y_min, self.y_max, self.y_tick_frequency],",
            "            x_length=self.x_axis_width, y_length=self.y_axis_height,",
            "            axis_config={\"color\": self.axes_color, \"include_tip\": False},",
            "        )",
            "        self.axes.shift(self.graph_origin - self.axes.c2p(0, 0))",
            "    return self.axes",
            "",
        ]
        if "setup" not in methods:
            lines += ["def setup(self):", "    self._graph_axes()", ""]
        if "setup_axes" not in methods:
            lines += ["def setup_axes(self, animate=False):",
                      "    axes = self._graph_axes()",
                      "    if animate:",
                      "        self.play(Create(axes))",
                      "    else:",
                      "        self.add(axes)",
                      ""]
        first = cls.body[0]
        # After a class docstring, before everything else.
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            end = first.end_lineno or first.lineno
            pos = starts[end] if end < len(starts) else len(code)
        else:
            pos = starts[first.lineno - 1]
        block = "".join((ind + l if l else "") + "\n" for l in lines)
        edits.append(Edit(pos, pos, block))
        renamed = set()
        for node in ast.walk(cls):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"
                    and node.attr in GRAPH_SELF_METHODS):
                a, b = span(starts, node)
                new = "self." + GRAPH_SELF_METHODS[node.attr]
                edits.append(Edit(a, b, new, None if node.attr in renamed else f"self.{node.attr} -> {new}"))
                renamed.add(node.attr)
    return edits


def _fix_graphscene(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _graphscene_edits)


def _neg(code: str, node: ast.AST) -> str:
    if isinstance(node, ast.Name) and node.id in OPPOSITE:
        return OPPOSITE[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return src(code, node.operand)
    return f"-({src(code, node)})" if not isinstance(node, ast.Name) else f"-{node.id}"


def _next_animation(code: str, x: ast.expr) -> bool:
    """An argument of an old-style self.play(mob.method, args, ...) that starts the next animation."""
    return ((isinstance(x, ast.Call) and (func_name(x) or "a")[:1].isupper())
            or (isinstance(x, ast.Attribute) and x.attr in PLAY_METHODS)
            or (isinstance(x, ast.Call) and isinstance(x.func, ast.Attribute) and "animate" in src(code, x.func)))


def _call_edits(code: str, tree: ast.Module) -> list[Edit]:
    starts = line_starts(code)
    edits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = func_name(node)
        a, b = span(starts, node)
        kws = {k.arg: k for k in node.keywords if k.arg}
        other_kw = lambda skip: [(f"{k.arg}={src(code, k.value)}" if k.arg else f"**{src(code, k.value)}")
                                 for k in node.keywords if k.arg not in skip]
        if isinstance(node.func, ast.Name) and name in ("FadeInFrom", "FadeOutAndShift", "FadeInFromDown",
                                                        "FadeOutAndShiftDown", "FadeInFromLarge", "FadeInFromPoint",
                                                        "FadeOutFromDown") and node.args:
            m = src(code, node.args[0])
            rest_pos = [src(code, x) for x in node.args[2:]]
            d_node = node.args[1] if len(node.args) > 1 else (kws["direction"].value if "direction" in kws else None)
            if name == "FadeInFrom":
                shift = _neg(code, d_node) if d_node is not None else "UP"
                new_name, extra = "FadeIn", f"shift={shift}"
                args = [m, extra, *rest_pos, *other_kw({"direction"})]
            elif name == "FadeOutAndShift":
                shift = src(code, d_node) if d_node is not None else "DOWN"
                new_name, extra = "FadeOut", f"shift={shift}"
                args = [m, extra, *rest_pos, *other_kw({"direction"})]
            elif name == "FadeInFromDown":
                new_name, extra = "FadeIn", "shift=UP"
                args = [m, extra, *other_kw(set())]
            elif name in ("FadeOutAndShiftDown", "FadeOutFromDown"):
                new_name, extra = "FadeOut", "shift=DOWN"
                args = [m, extra, *other_kw(set())]
            elif name == "FadeInFromLarge":
                sf = src(code, node.args[1]) if len(node.args) > 1 else (
                    src(code, kws["scale_factor"].value) if "scale_factor" in kws else "2")
                new_name, extra = "FadeIn", f"scale={sf}"
                args = [m, extra, *other_kw({"scale_factor"})]
            else:  # FadeInFromPoint
                pt = src(code, node.args[1]) if len(node.args) > 1 else (
                    src(code, kws["point"].value) if "point" in kws else "ORIGIN")
                new_name, extra = "FadeIn", f"target_position={pt}"
                args = [m, extra, *other_kw({"point"})]
            new = call_text(code, starts, node, new_name, args)
            edits.append(Edit(a, b, new, f"{name}(...) -> {new_name}(..., {extra}) (Manim Community)"))
        elif isinstance(node.func, ast.Name) and name == "ApplyMethod" and node.args \
                and isinstance(node.args[0], ast.Attribute):
            meth = node.args[0]
            target = src(code, meth.value)
            args = [src(code, x) for x in node.args[1:]]
            kw = other_kw(set())
            anim = f"{target}.animate" + (f"({', '.join(kw)})" if kw else "")
            new = f"{anim}.{meth.attr}({', '.join(args)})"
            edits.append(Edit(a, b, new, f"ApplyMethod({target}.{meth.attr}, ...) -> {target}.animate.{meth.attr}(...)"))
        elif isinstance(node.func, ast.Attribute) and name == "play" and node.args and any(
                isinstance(x, ast.Attribute) and x.attr in PLAY_METHODS for x in node.args):
            parts: list[str] = []
            i, changed = 0, False
            call_args = node.args
            while i < len(call_args):
                x = call_args[i]
                if isinstance(x, ast.Attribute) and x.attr in PLAY_METHODS and not (
                        isinstance(x.value, ast.Attribute) and x.value.attr == "animate"):
                    j = i + 1
                    while j < len(call_args) and not _next_animation(code, call_args[j]):
                        j += 1
                    given = list(call_args[i + 1:j])
                    kw_dict = given[-1] if given and isinstance(given[-1], ast.Dict) else None
                    if kw_dict is not None and all(isinstance(k, ast.Constant) and isinstance(k.value, str)
                                                   and k.value.isidentifier() for k in kw_dict.keys):
                        # the old API passed the method's keyword arguments as a trailing dict
                        method_args = [src(code, y) for y in given[:-1]] + [
                            f"{k.value}={src(code, v)}" for k, v in zip(kw_dict.keys, kw_dict.values)
                            if isinstance(k, ast.Constant) and isinstance(k.value, str)]  # all are (checked above)
                    else:
                        method_args = [src(code, y) for y in given]
                    margs = ", ".join(method_args)
                    parts.append(f"{src(code, x.value)}.animate.{x.attr}({margs})")
                    changed = True
                    i = j
                else:
                    parts.append(src(code, x))
                    i += 1
            if changed:
                new = call_text(code, starts, node, src(code, node.func), parts + other_kw(set()))
                edits.append(Edit(a, b, new, "old-style self.play(mobject.method, args) -> mobject.animate.method(args)"))
        elif name in RANGE_CALLS and (set(kws) & {"x_min", "x_max", "y_min", "y_max", "t_min", "t_max", "z_min",
                                                  "z_max", "u_min", "u_max", "v_min", "v_max"}
                                      or (name == "get_graph" and isinstance(node.func, ast.Attribute))):
            used = set()
            new_kw = []

            def rng(lo, hi, steps, out_name, default_lo="-5", default_hi="5"):
                if lo in kws or hi in kws:
                    vals = [src(code, kws[lo].value) if lo in kws else default_lo,
                            src(code, kws[hi].value) if hi in kws else default_hi]
                    used.update({lo, hi})
                    for st in steps:
                        if st in kws:
                            vals.append(src(code, kws[st].value))
                            used.add(st)
                            break
                    new_kw.append(f"{out_name}=[{', '.join(vals)}]")

            is_t = name in ("ParametricFunction", "plot_parametric_curve")
            if is_t:
                rng("t_min", "t_max", ("t_step", "step_size"), "t_range", "0", "1")
            elif name == "get_area":
                rng("t_min", "t_max", (), "x_range", "0", "1")
                rng("x_min", "x_max", (), "x_range")
            elif name in ("Surface", "ParametricSurface"):
                rng("u_min", "u_max", (), "u_range", "0", "1")
                rng("v_min", "v_max", (), "v_range", "0", "1")
            else:
                rng("x_min", "x_max", ("x_step", "x_tick_frequency", "tick_frequency", "step_size")
                    if name not in ("plot", "get_graph", "FunctionGraph", "get_riemann_rectangles") else (),
                    "x_range")
                rng("y_min", "y_max", ("y_step", "y_tick_frequency"), "y_range")
                rng("z_min", "z_max", ("z_step",), "z_range")
            func_src = src(code, node.func)
            fname = name
            if name == "get_graph" and isinstance(node.func, ast.Attribute):
                func_src = src(code, node.func.value) + ".plot"
                fname = "plot"
            args = [src(code, x) for x in node.args] + new_kw + other_kw(used)
            new = call_text(code, starts, node, func_src, args)
            what = []
            if fname != name:
                what.append(f"{name} -> {fname}")
            if new_kw:
                what.append(f"{', '.join(sorted(used))} -> {', '.join(k.split('=')[0] for k in new_kw)}")
            edits.append(Edit(a, b, new, f"{name}(...): " + "; ".join(what)))
        elif isinstance(node.func, ast.Attribute) and name == "scale_about_point" and len(node.args) >= 2:
            new = (f"{src(code, node.func.value)}.scale({src(code, node.args[0])}, "
                   f"about_point={src(code, node.args[1])})")
            edits.append(Edit(a, b, new, "scale_about_point(s, p) -> scale(s, about_point=p)"))
    return edits


def _fix_calls(code: str, fixes: list[Fix]) -> str:
    # nested old calls are rewritten from the outside in, one layer per pass
    return rewrite(code, fixes, lambda code, tree, starts: _call_edits(code, tree), passes=8)
    return code


# ------------------------------------------------------------------------------------------- entry point
def sanitize(code: str) -> tuple[str, list[Fix]]:
    """Apply every deterministic fix; return the new code and what was changed (lines of the new code)."""
    fixes: list[Fix] = []
    code = code.replace("\r\n", "\n")
    code, fixes = recover.strip_prose(code)
    code = _fix_chars(code, fixes)
    code, more = fstrings.modernize(code)  # before recovery: a 3.12 f-string is not a cut-off reply
    fixes.extend(more)
    code, more = recover.recover(code)
    fixes.extend(more)
    code = _fix_imports(code, fixes)
    code = _fix_names(code, fixes)
    code = _fix_strings(code, fixes)
    code = _fix_config(code, fixes)
    code = _fix_graphscene(code, fixes)
    code = _fix_calls(code, fixes)
    code = _fix_missing_import(code, fixes)
    code = api_fixes.fix_api(code, fixes)
    code = render_settings.leave_to_the_app(code, fixes)
    code = tex_fixes.fix_tex(code, fixes)
    if code and not code.endswith("\n"):
        code += "\n"
    fixes.sort(key=lambda f: f.line or 0)
    return code, fixes
