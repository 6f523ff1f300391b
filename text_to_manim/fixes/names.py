"""Names of old Manim versions: ShowCreation -> Create, TextMobject -> Tex, TexMobject -> MathTex, ... (never a name the code
defines itself; an import from a Manim module that lacks the new name imports it from `manim`)."""
from __future__ import annotations

import ast
import tokenize
from typing import Optional

from text_to_manim.events import Fix
from text_to_manim.fixes.edits import (
    Edit,
    Starts,
    apply,
    ast_offset,
    indent_of,
    line_starts,
    offset,
    parse,
    span,
    tokens,
)

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



def fix_old_names(code: str, fixes: list[Fix]) -> str:
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
