"""Make code that does not parse into the longest sound program it contains, saying what was done.

Model replies get cut mid-function, lose a closing bracket, or come with prose and Markdown around the
code. `strip_prose(code)` removes Markdown fences and prose around the code (keeping the code inside the
fences); `recover(code)` then returns code that parses (or the input unchanged when nothing safe helps)
and the `Fix`es that say what was done, in this order of preference:
1. a bracket opened mid-file and never closed is closed at the end of the line that opened it, when
   that makes the rest of the file parse (a slip, not a cut);
2. a cut-off reply keeps its complete statements: the unfinished last statement is dropped and the
   blocks left open get a body ("the code was cut off at line N; rendered what was complete").
Code that already parses is never touched.
"""
from __future__ import annotations

import ast
import io
import keyword
import re
import tokenize
from dataclasses import dataclass
from typing import Optional

from text_to_manim import syntax
from text_to_manim.events import Fix

CUT_OFF = "the code was cut off at line {line}; rendered what was complete: {what}"
CODE_LINE_RE = re.compile(r"^(from\s+[\w.]+\s+import\b|import\s+\w|class\s+\w+|def\s+\w+|@\w|#|\"\"\"|''')")
FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# How a line of prose starts: a word, a list marker, emphasis ("Here is the scene:", "1. We plot …").
PROSE_START_RE = re.compile(r"^(?:[-*>]\s+|\d+[.)]\s+|\*\*)?[A-Za-z]")
CLOSERS = {"(": ")", "[": "]", "{": "}"}
MAX_BLOCK_FILLS = 20


@dataclass
class _Scan:
    """How far the tokenizer got: the end of the last complete logical line and the open brackets."""
    last_newline: int  # 1-based line of the last NEWLINE token (0 if none)
    open_brackets: list  # [(char, line)] still open at the end
    error: bool  # the tokenizer stopped before the end (EOF in a bracket or string)


def parses(code: str) -> bool:
    try:
        syntax.parse(code)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def _syntax_error(code: str) -> Optional[SyntaxError]:
    try:
        syntax.parse(code)
        return None
    except SyntaxError as exc:
        return exc
    except (ValueError, RecursionError, MemoryError):
        return SyntaxError("unparsable")


def _scan(code: str) -> _Scan:
    last_newline, stack, error = 0, [], False
    try:
        for t in tokenize.generate_tokens(io.StringIO(code).readline):
            if t.type == tokenize.NEWLINE:
                last_newline = t.end[0]
            elif t.type == tokenize.OP and t.string in CLOSERS:
                stack.append((t.string, t.start[0]))
            elif t.type == tokenize.OP and t.string in CLOSERS.values() and stack:
                stack.pop()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        error = True
    return _Scan(last_newline, stack, error)


def _is_prose(line: str) -> bool:
    """A line of explanation around the code: not indented, three words or more, and not Python."""
    words = line.split()
    return (len(words) >= 3 and not line.startswith((" ", "\t")) and not keyword.iskeyword(words[0])
            and bool(PROSE_START_RE.match(line)) and not parses(line.strip()))


def _strip_markdown(code: str) -> tuple[str, list[Fix]]:
    """Code inside Markdown fences, or the code with prose lines before and after it removed."""
    lines = code.split("\n")
    if any(FENCE_RE.match(ln) for ln in lines):
        from text_to_manim.generate.extract import extract

        got = extract(code)
        if got.ok and got.code.strip() != code.strip():
            return got.code, [Fix("kept the Python code inside the Markdown fences; removed the text and "
                                  "fences around it", 1)]
    start = next((i for i, ln in enumerate(lines) if CODE_LINE_RE.match(ln)), 0)
    end = len(lines)
    while end > start + 1 and (not lines[end - 1].strip() or _is_prose(lines[end - 1])):
        end -= 1
    # Only prose may go: a dropped head line must not be code Python could not read for another reason.
    head = [ln for ln in lines[:start] if ln.strip()]
    tail = [ln for ln in lines[end:] if ln.strip()]
    if not all(_is_prose(ln) for ln in head + tail):
        return code, []
    if not head and not tail:
        return code, []
    fixes = []
    kept = "\n".join(lines[start:end]) + "\n"
    if head:
        fixes.append(Fix(f"removed {len(head)} line(s) of prose before the code ({head[0].strip()[:40]!r})", 1))
    if tail:
        fixes.append(Fix(f"removed {len(tail)} line(s) of prose after the code ({tail[0].strip()[:40]!r})",
                         end - start))
    return kept, fixes


def _close_mid_file(code: str) -> tuple[str, list[Fix]]:
    """A bracket left open in the middle of the file: close it on its own line if that makes it parse."""
    scan = _scan(code)
    if not scan.open_brackets:
        return code, []
    lines = code.split("\n")
    for char, line in reversed(scan.open_brackets):
        if not any(ln.strip() for ln in lines[line:]):
            continue  # opened on the last line: a cut, not a slip
        body, comment = _split_comment(lines[line - 1])
        for pos in _closer_positions(body):
            fixed = body[:pos].rstrip() + CLOSERS[char] + body[pos:]
            new = "\n".join(lines[:line - 1] + [fixed.rstrip() + comment] + lines[line:])
            if parses(new):
                return new, [Fix(f"the code did not parse: recovered it by closing the {char!r} left open on "
                                 f"line {line} (added {CLOSERS[char]!r})", line)]
    return code, []


def _closer_positions(body: str) -> list[int]:
    """Where a missing closing bracket most likely goes on its line: before a method called on a string
    literal that str does not have (`MathTex(r"x".next_to(a, UP)` lost its `)` before `.next_to`),
    else at the end of the line."""
    out, toks = [], []
    try:
        for t in tokenize.generate_tokens(io.StringIO(body + "\n").readline):
            toks.append(t)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # the open bracket ends the line: the tokens before it are what we need
    for a, b, c in zip(toks, toks[1:], toks[2:]):
        if a.type == tokenize.STRING and b.string == "." and c.type == tokenize.NAME and not hasattr(str, c.string):
            out.append(b.start[1])
    return out + [len(body.rstrip())]


def _split_comment(line: str) -> tuple[str, str]:
    """(code, '  # comment') of one physical line, the comment found by the tokenizer, not by '#'."""
    try:
        for t in tokenize.generate_tokens(io.StringIO(line + "\n").readline):
            if t.type == tokenize.COMMENT:
                return line[:t.start[1]], "  " + t.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return line, ""


def _fill_blocks(lines: list[str]) -> tuple[list[str], int]:
    """Give every block header left without a body a `pass`; returns the lines and how many."""
    filled = 0
    for _ in range(MAX_BLOCK_FILLS):
        err = _syntax_error("\n".join(lines) + "\n")
        if err is None or "expected an indented block" not in str(err.msg):
            break
        # Python names the header ("... after function definition on line 4"); at the end of the file it
        # reports the header's own line, elsewhere the line after it.
        named = re.search(r"on line (\d+)", str(err.msg))
        if named and int(named.group(1)) <= len(lines):
            header = int(named.group(1))
        else:
            header = err.lineno - 1 if err.lineno and err.lineno <= len(lines) + 1 else len(lines)
        # The header is the last non-blank line at or before the reported line.
        while header > 0 and not lines[header - 1].strip():
            header -= 1
        indent = lines[header - 1][:len(lines[header - 1]) - len(lines[header - 1].lstrip(" \t"))] if header else ""
        lines = lines[:header] + [indent + "    pass"] + lines[header:]
        filled += 1
    return lines, filled


def _drop_trailing_fragment(code: str) -> tuple[str, list[Fix]]:
    """A reply cut inside a name (`self.wa`, `circle.shi`) still parses: a last statement that is a
    bare name or attribute does nothing but fail, so it goes."""
    tree = syntax.parse(code)
    body, last = tree.body, None
    while body:
        last = body[-1]
        inner = [getattr(last, f) for f in ("orelse", "finalbody", "body") if getattr(last, f, None)]
        if not inner:
            break
        body = inner[0]
    lines = code.rstrip().split("\n")
    if not (isinstance(last, ast.Expr) and isinstance(last.value, (ast.Name, ast.Attribute))
            and last.end_lineno == len(lines)):
        return code, []
    piece = lines[last.lineno - 1].strip()
    kept = lines[:last.lineno - 1]
    kept, _ = _fill_blocks(kept)
    return "\n".join(kept).rstrip("\n") + "\n", [Fix(CUT_OFF.format(line=last.lineno, what=(
        f"dropped the unfinished last statement {piece[:40]!r}")), last.lineno)]


def _truncated(code: str) -> tuple[str, list[Fix]]:
    """Keep the complete statements of a cut-off reply; close the blocks they leave open."""
    scan = _scan(code)
    lines = code.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    err = _syntax_error(code)
    if err is None:
        return code, []
    # A cut means the trouble is in the last statement (or an opened bracket/string runs to the end);
    # an error earlier in the file is a different mistake, which cutting would only hide.
    cut_at = scan.last_newline
    runs_to_end = scan.error or bool(scan.open_brackets)
    if not runs_to_end and err.lineno and err.lineno <= cut_at and err.lineno < len(lines) - 1:
        return code, []
    kept = lines[:cut_at] if runs_to_end or (err.lineno or 0) > cut_at else lines[:max((err.lineno or 1) - 1, 0)]
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith("@")):
        kept.pop()
    dropped = [ln.strip() for ln in lines[len(kept):] if ln.strip() and not ln.strip().startswith("#")]
    kept, filled = _fill_blocks(kept)
    new = "\n".join(kept) + "\n"
    if not parses(new) or not kept:
        return code, []
    what = []
    if dropped:
        what.append(f"dropped the unfinished statement {dropped[0][:50]!r}"
                    + (f" (lines {len(kept) - filled + 1}-{len(lines)})" if len(dropped) > 1 else ""))
    if filled:
        what.append(f"gave {filled} block(s) left without a body a `pass`")
    return new, [Fix(CUT_OFF.format(line=len(lines), what="; ".join(what) or "nothing was lost"), len(kept))]


def strip_prose(code: str) -> tuple[str, list[Fix]]:
    """Code that does not parse because Markdown fences or prose surround it: the code alone."""
    if parses(code):
        return code, []
    return _strip_markdown(code)


def recover(code: str) -> tuple[str, list[Fix]]:
    """Code that parses, and what was done to get it; unchanged when it parses already (but for a cut
    inside a last bare name) or when nothing safe helps (the parse error then reaches the person)."""
    if parses(code):
        return _drop_trailing_fragment(code)
    for step in (_close_mid_file, _truncated):
        new, more = step(code)
        if more:
            return new, more
    return code, []
