"""Python 3.12 f-strings (PEP 701) rewritten for the interpreter that runs scenes (3.11).

Models write current Python: `f"{d["key"]}"` (the outer quote reused inside a replacement field) and
`f"{"\\n".join(lines)}"` (a backslash in a field) are valid from 3.12 on and a SyntaxError before. When the
code does not parse, each such f-string is given a delimiter its fields do not use (the other quote, or a
triple quote), its literal text escaped for that delimiter, and a backslash escape inside a field's string
replaced by the `chr()` call it stands for. Nothing changes when the code parses, or when no f-string is why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from text_to_manim import syntax
from text_to_manim.events import Fix
from text_to_manim.fixes.edits import line_of

PREFIX = re.compile(r"(?i)(?<![\w])(rf|fr|f|rb|br|r|b|u)?('''|\"\"\"|'|\")")
SIMPLE_ESCAPES = {"n": 10, "t": 9, "r": 13, "\\": 92, "'": 39, '"': 34, "0": 0}


@dataclass
class FString:
    start: int  # offset of the prefix
    end: int  # offset after the closing delimiter
    prefix: str
    quote: str
    parts: list = field(default_factory=list)  # ("lit", text) | ("field", text, [nested strings (start, end, quote)])


def _scan_string(code: str, pos: int) -> tuple[int, str, str] | None:
    """At a string start: (end offset, prefix, quote) of a plain (non-f) string, without nesting."""
    m = PREFIX.match(code, pos)
    if not m:
        return None
    prefix, quote = m.group(1) or "", m.group(2)
    i, raw = m.end(), "r" in prefix.lower()
    while i < len(code):
        if code.startswith(quote, i):
            return i + len(quote), prefix, quote
        if code[i] == "\\" and not raw:
            i += 2
            continue
        if code[i] == "\n" and len(quote) == 1:
            return None
        i += 1
    return None


def _scan_fstring(code: str, pos: int) -> FString | None:
    m = PREFIX.match(code, pos)
    if not m or "f" not in (m.group(1) or "").lower():
        return None
    fs = FString(pos, pos, m.group(1), m.group(2))
    i = m.end()
    lit: list[str] = []
    while i < len(code):
        if code.startswith(fs.quote, i):
            fs.parts.append(("lit", "".join(lit)))
            fs.end = i + len(fs.quote)
            return fs
        c = code[i]
        if c == "{" and code.startswith("{{", i) or c == "}" and code.startswith("}}", i):
            lit.append(code[i:i + 2])
            i += 2
        elif c == "{":
            fs.parts.append(("lit", "".join(lit)))
            lit = []
            end, nested = _scan_field(code, i + 1)
            if end is None:
                return None
            fs.parts.append(("field", code[i:end], nested))
            i = end
        elif c == "\\" and "r" not in fs.prefix.lower():
            lit.append(code[i:i + 2])
            i += 2
        elif c == "\n" and len(fs.quote) == 1:
            return None
        else:
            lit.append(c)
            i += 1
    return None


def _scan_field(code: str, i: int) -> tuple[int | None, list]:
    """From inside `{`: the offset after the matching `}` and the strings inside (relative to `code`)."""
    depth, nested = 0, []
    while i < len(code):
        c = code[i]
        if c in "'\"" or (c.isalpha() and PREFIX.match(code, i) and code[i - 1:i] not in ("_",) and
                          not code[i - 1:i].isalnum()):
            inner = _scan_fstring(code, i)
            if inner is not None:
                nested.append((inner.start, inner.end, inner.quote))
                i = inner.end
                continue
            plain = _scan_string(code, i) if PREFIX.match(code, i) else None
            if plain is not None:
                nested.append((i, plain[0], plain[2]))
                i = plain[0]
                continue
            i += 1
        elif c in "([{":
            depth += 1
            i += 1
        elif c in ")]":
            depth -= 1
            i += 1
        elif c == "}":
            if depth == 0:
                return i + 1, nested
            depth -= 1
            i += 1
        else:
            i += 1
    return None, nested


def _field_text(code: str, text_start: int, text: str, nested: list) -> str:
    """A field with backslash escapes in its strings replaced by chr() calls (3.11 refuses them there)."""
    out, pos = [], 0
    for start, end, quote in nested:
        a, b = start - text_start, end - text_start
        literal = text[a:b]
        out.append(text[pos:a])
        out.append(_without_backslashes(literal) if "\\" in literal else literal)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _without_backslashes(literal: str) -> str:
    try:
        value = syntax.literal_eval(literal)
    except (ValueError, SyntaxError):
        return literal
    if not isinstance(value, str):
        return literal
    pieces = re.split(r"([^\x20-\x7e]|['\"\\])", value)
    return "(" + " + ".join(repr(p) if len(p) != 1 or p.isprintable() and p not in "'\"\\" else f"chr({ord(p)})"
                            for p in pieces if p) + ")" if value else "''"


def _rewrite(code: str, fs: FString) -> str | None:
    used = {q for part in fs.parts if part[0] == "field" for _, _, q in part[2]}
    backslashes = any(part[0] == "field" and "\\" in part[1] for part in fs.parts)
    if fs.quote not in {q[0] for q in used} and not backslashes:
        return None
    for quote in ("'", '"', "'''", '"""'):
        if quote[0] not in {q[0] for q in used} or (len(quote) == 3 and quote not in used):
            break
    else:
        return None
    text, offset = [fs.prefix, quote], fs.start + len(fs.prefix) + len(fs.quote)
    for part in fs.parts:
        if part[0] == "lit":
            lit = part[1]
            if len(quote) == 1:
                lit = lit.replace(quote, "\\" + quote) if "r" not in fs.prefix.lower() else lit
            text.append(lit)
            offset += len(part[1])
        else:
            text.append(_field_text(code, offset, part[1], part[2]))
            offset += len(part[1])
    text.append(quote)
    return "".join(text)


def modernize(code: str) -> tuple[str, list[Fix]]:
    """The code with its 3.12-only f-strings rewritten, if it did not parse and that was why."""
    try:
        syntax.parse(code)
        return code, []
    except SyntaxError:
        pass
    out, fixes, pos, i = [], [], 0, 0
    while i < len(code):
        c = code[i]
        if c == "#":
            nl = code.find("\n", i)
            i = len(code) if nl < 0 else nl
            continue
        if (c in "'\"" or c.isalpha()) and (i == 0 or not (code[i - 1].isalnum() or code[i - 1] == "_")) \
                and PREFIX.match(code, i):
            fs = _scan_fstring(code, i)
            if fs is not None:
                new = _rewrite(code, fs)
                if new is not None:
                    out.append(code[pos:fs.start] + new)
                    fixes.append(Fix("a Python 3.12 f-string (quotes or a backslash reused inside {…}) written "
                                     "the way Python 3.11 reads it", line_of(code, fs.start)))
                    pos = fs.end
                i = fs.end
                continue
            plain = _scan_string(code, i)
            if plain is not None:
                i = plain[0]
                continue
        i += 1
    new = "".join(out) + code[pos:]
    try:
        syntax.parse(new)
    except SyntaxError:
        return code, []  # not (only) f-strings: leave it to the recovery of cut-off code
    return new, fixes
