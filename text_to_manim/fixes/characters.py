"""Characters that break parsing outside strings: smart quotes as delimiters, U+2212 minus, ×, ÷, ≤, ≥, ≠, NBSP."""
from __future__ import annotations

import re

from text_to_manim import syntax
from text_to_manim.events import Fix
from text_to_manim.fixes.edits import (
    Edit,
    apply,
    line_starts,
)

# characters that make code unparseable outside strings
CODE_CHARS = {"\u2212": "-", "\u2013": "-", "\u00d7": "*", "\u00f7": "/", "\u2264": "<=", "\u2265": ">=",
              "\u2260": "!=", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\ufeff": "",
              "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'", "\u00b7": "*",
              "\u22c5": "*", "\u2026": "..."}

QUOTE_PAIRS = {"\u201c": "\u201d", "\u2018": "\u2019", "\u201d": "\u201d", "\u2019": "\u2019"}



def fix_characters(code: str, fixes: list[Fix]) -> str:
    for _ in range(300):
        try:
            syntax.compile_ast(code)
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
