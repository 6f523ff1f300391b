"""Edits to Python source that keep its formatting and comments, with the `Fix` each one records.

Fixers find what to change through the AST or the tokens, describe it as `Edit(start, end, text, what)`
(character offsets into the code) and `apply` them: non-overlapping edits are applied in one pass and
the lines of every recorded Fix, earlier ones included, are kept pointing into the new code.
"""
from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from text_to_manim import syntax
from text_to_manim.events import Fix


@dataclass
class Edit:
    start: int
    end: int
    text: str
    what: Optional[str] = None  # a fix to record, or None for a silent part of a recorded change


class Starts(list):
    """Offsets of each line's start, keeping the code: AST columns are UTF-8 bytes, not characters."""
    code: str = ""


def line_starts(code: str) -> Starts:
    starts, pos = Starts([0]), 0
    starts.code = code
    for line in code.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    return starts


def offset(starts: list[int], row: int, col: int) -> int:
    return starts[row - 1] + col


def line_of(code: str, offset: int) -> int:
    return code.count("\n", 0, offset) + 1


def apply(code: str, edits: list[Edit], fixes: list[Fix]) -> str:
    """Apply non-overlapping edits; shift the lines of earlier fixes; record new ones (in new-code lines)."""
    if not edits:
        return code
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    chosen, last_end = [], -1
    for e in edits:
        if e.start >= last_end or e.start == e.end == last_end:
            chosen.append(e)
            last_end = max(last_end, e.end)
    out, pos, delta_lines = [], 0, 0
    shifts = []  # (old line where the edit ends, line delta)
    new_fixes = []
    for e in chosen:
        out.append(code[pos:e.start])
        old_line = line_of(code, e.start)
        old_span = code.count("\n", e.start, e.end)
        new_span = e.text.count("\n")
        if e.what:
            new_fixes.append(Fix(e.what, old_line + delta_lines))
        out.append(e.text)
        delta_lines += new_span - old_span
        at_line_start = e.end == 0 or code[e.end - 1] == "\n"
        shifts.append((line_of(code, e.end) - (1 if at_line_start else 0), new_span - old_span))
        pos = e.end
    out.append(code[pos:])
    for i, f in enumerate(fixes):
        if f.line:
            fixes[i] = Fix(f.what, f.line + sum(d for ln, d in shifts if ln < f.line))
    fixes.extend(new_fixes)
    return "".join(out)


def parse(code: str) -> Optional[ast.Module]:
    try:
        return syntax.parse(code)
    except (SyntaxError, ValueError):
        return None


def rewrite(code: str, fixes: list[Fix], find: Callable[[str, ast.Module, Starts], list[Edit]],
            passes: int = 1) -> str:
    """The fixers' skeleton: parse, `find` the edits, apply them (recording their fixes). With `passes` > 1
    it goes again on the new code while that changes (nested calls, rewritten from the outside in). Code
    that does not parse is returned unchanged: recover's work, not a fixer's."""
    for _ in range(passes):
        tree = parse(code)
        if tree is None:
            return code
        new = apply(code, find(code, tree, line_starts(code)), fixes)
        if new == code:
            return code
        code = new
    return code


def tokens(code: str) -> list[tokenize.TokenInfo]:
    toks = []
    try:
        for t in tokenize.generate_tokens(io.StringIO(code).readline):
            toks.append(t)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return toks


@lru_cache(maxsize=8)
def _cached_starts(code: str) -> Starts:
    return line_starts(code)


def src(code: str, node: ast.AST) -> str:
    """The source text of a node (ast.get_source_segment re-splits the whole code on every call)."""
    if getattr(node, "end_lineno", None) is None:
        return ""
    a, b = span(_cached_starts(code), node)
    return code[a:b]


def ast_offset(starts: Starts, row: int, col_bytes: int) -> int:
    """offset() for an AST position, whose column counts UTF-8 bytes."""
    line = starts.code[starts[row - 1]:starts[row] if row < len(starts) else len(starts.code)]
    if line.isascii():
        return starts[row - 1] + col_bytes
    return starts[row - 1] + len(line.encode("utf-8")[:col_bytes].decode("utf-8", "replace"))


def span(starts: Starts, node: ast.AST) -> tuple[int, int]:
    # any node with a position (expressions, statements, keywords, arguments): ast.AST declares none
    return (ast_offset(starts, getattr(node, "lineno"), getattr(node, "col_offset")),
            ast_offset(starts, getattr(node, "end_lineno"), getattr(node, "end_col_offset")))


def indent_of(code: str, starts: list[int], lineno: int) -> str:
    line = code[starts[lineno - 1]:starts[lineno] if lineno < len(starts) else len(code)]
    return line[:len(line) - len(line.lstrip(" \t"))]


def call_text(code: str, starts: list[int], node: ast.Call, func: str, args: list[str]) -> str:
    one = f"{func}({', '.join(args)})"
    if len(one) <= 100 and node.lineno == node.end_lineno:
        return one
    ind = indent_of(code, starts, node.lineno) + "    "
    return f"{func}(\n" + "".join(f"{ind}{a},\n" for a in args) + ind[:-4] + ")"


def func_name(node: ast.Call) -> Optional[str]:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None
