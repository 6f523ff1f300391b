"""The repair stage's error report: what goes back to the model when a round fails.

Short and precise, so the model fixes the right thing: per error the stage, the line, the exception type
and message, and the offending source line with one line of context on each side (numbered, marked
with >>). At most five errors; the rest are counted. `prompts.repair` wraps it into the next message.
"""
from __future__ import annotations

from text_to_manim.events import CodeError


def error_report(errors: list[CodeError], code: str, *, context: int = 1) -> str:
    """Short and precise: stage, line, message, and the offending source line(s) with numbers."""
    lines = code.splitlines()
    out = []
    for e in errors[:5]:
        head = f"- stage {e.stage}"
        if e.line:
            head += f", line {e.line}"
        head += f": {e.kind + ': ' if e.kind else ''}{e.message}"
        out.append(head)
        if e.line and 1 <= e.line <= len(lines):
            lo, hi = max(1, e.line - context), min(len(lines), e.line + context)
            for n in range(lo, hi + 1):
                mark = ">>" if n == e.line else "  "
                out.append(f"    {mark} {n:4d} | {lines[n - 1]}")
        elif e.source_line:
            out.append(f"    >> {e.source_line.strip()}")
    if len(errors) > 5:
        out.append(f"- ... and {len(errors) - 5} more")
    return "\n".join(out)
