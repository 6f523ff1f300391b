"""Imports: manimlib / big_ol_pile_of_manim_imports / manim_imports_ext -> `from manim import *`, and a missing one added."""
from __future__ import annotations

import ast
import re

from text_to_manim.events import Fix
from text_to_manim.fixes.edits import (
    Edit,
    apply,
    line_starts,
    parse,
)

OLD_IMPORT_RE = re.compile(
    r"^[ \t]*(?:from[ \t]+(?:manimlib(?:\.[\w.]+)?|big_ol_pile_of_manim_imports|manim_imports_ext|manimce|"
    r"manimgl)[ \t]+import[ \t]+[^\n]*|import[ \t]+(?:manimlib|manimgl)\b[^\n]*)$", re.M)

STAR_IMPORT_RE = re.compile(r"^from[ \t]+manim[ \t]+import[ \t]+\*[ \t]*$", re.M)

ANY_MANIM_IMPORT_RE = re.compile(r"^[ \t]*(from[ \t]+manim(\.\w+)*[ \t]+import|import[ \t]+manim)\b", re.M)

MANIM_USE_RE = re.compile(r"^\s*class\s+\w+\s*\([^)]*Scene[^)]*\)\s*:|\b(MathTex|Tex|Circle|Square|Axes|VGroup|"
                          r"Create|Write|FadeIn|FadeOut|Dot|Arrow|NumberPlane|Transform)\s*\(", re.M)



def fix_old_imports(code: str, fixes: list[Fix]) -> str:
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



def add_missing_manim_import(code: str, fixes: list[Fix]) -> str:
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
