"""layout: rule fixes for the layout check's warnings, as source rewrites.

The runner reports, for a text or a group of texts too large for the frame, the factor that makes it fit and
the line where it was made (`sandbox/runner/layout_facts.py`). The rule scales it right where it is made
(`Text(...)` becomes `Text(...).scale(0.72)`), so every later placement (next_to, to_edge, arrange) works on
the fitted size. The pipeline validates the rewritten code again and keeps it only if the warning is gone.
Texts that fit but are placed off the frame, and texts overlapping each other, have no rule that is safe:
they go back to the model (one repair round) or to the person.
"""
from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from text_to_manim import syntax
from text_to_manim.events import Fix

OFF_FRAME = "off-frame"


@dataclass(frozen=True)
class Fit:
    """Scale what `target(...)` on `line` makes by `scale` (< 1) to fit the frame."""

    line: int
    target: str  # the class called on that line: Text, MathTex, VGroup …
    scale: float
    width: float = 0.0  # its size before, in scene units (for the message)
    height: float = 0.0
    frame: tuple = (0.0, 0.0)


def fits(facts: Iterable[dict]) -> list[Fit]:
    """The warnings a rule can fix: too large for the frame, made on a known line. One per line (the
    smallest factor, when a loop makes several)."""
    best: dict[tuple, Fit] = {}
    for f in facts:
        scale, line, target = f.get("scale"), f.get("target_line"), f.get("target")
        if f.get("kind") != OFF_FRAME or not isinstance(line, int) or not isinstance(target, str):
            continue
        if not isinstance(scale, (int, float)) or not 0.05 <= scale < 0.999:
            continue  # fits already (only placed off the frame), or a factor no rule should apply
        fit = Fit(line, target, round(float(scale), 3), float(f.get("target_width") or 0),
                  float(f.get("target_height") or 0), tuple(f.get("frame") or (0.0, 0.0)))
        key = (line, target)
        if key not in best or fit.scale < best[key].scale:
            best[key] = fit
    return sorted(best.values(), key=lambda x: x.line)


def _offset(lines: list[str], lineno: int, col: int) -> int:
    """A character offset in the source from ast's (line, UTF-8 byte column)."""
    before = sum(len(ln) for ln in lines[:lineno - 1])
    return before + len(lines[lineno - 1].encode("utf-8")[:col].decode("utf-8", "replace"))


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def apply(code: str, wanted: list[Fit]) -> tuple[str, list[Fix]]:
    """Insert `.scale(f)` after the one call of `target` on each line; a line with none or several such
    calls is left alone (no guessing which one was meant)."""
    try:
        tree = syntax.parse(code)
    except (SyntaxError, ValueError):
        return code, []
    lines = code.splitlines(keepends=True)
    calls: dict[tuple, list[ast.Call]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            calls.setdefault((node.lineno, _call_name(node)), []).append(node)
    edits, fixes = [], []
    for fit in wanted:
        found = calls.get((fit.line, fit.target), [])
        if len(found) != 1:
            continue
        node = found[0]
        assert node.end_lineno is not None and node.end_col_offset is not None  # set by ast.parse
        edits.append((_offset(lines, node.end_lineno, node.end_col_offset), f".scale({fit.scale:g})"))
        size = f"{fit.width:.1f} × {fit.height:.1f}" if fit.width else "too large"
        frame = f"the frame is {fit.frame[0]:.1f} × {fit.frame[1]:.1f}" if fit.frame[0] else "to fit the frame"
        fixes.append(Fix(f"scaled {fit.target}(…) by {fit.scale:g} to fit the frame ({size}; {frame})", fit.line))
    for at, text in sorted(edits, reverse=True):
        code = code[:at] + text + code[at:]
    return code, fixes


def still_off(facts: Iterable[dict], fixed: list[Fix]) -> list[int]:
    """Lines a fix was made for that are still reported too large after it (the fix did not help)."""
    lines = {f.line for f in fixed}
    return sorted({x.line for x in fits(facts) if x.line in lines})
