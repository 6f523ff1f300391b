"""Error-driven repair: validate, read the error, repair its shape, validate again; keep what gets further.

`fixes/from_error.py` proposes one repair per error; this loop decides. A repair is kept only if the scene
then gets further: it validates, or it fails after more animations, or after as many but on a later line.
Otherwise it is undone, and the error the person (and a model's repair round) sees is the original one,
with its line: a guess never hides the real cause (an undefined `circle` is not the class `Circle`).
Rounds are bounded; each costs one validation (a frameless run, seconds).
"""
from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Optional

from text_to_manim.events import Fix
from text_to_manim.fixes import from_error
from text_to_manim.scene.validate import ValidateOutcome

MAX_ROUNDS = 8


@dataclass
class Outcome:
    """The best code found, its validation, the repairs kept (in order) and how many were tried."""

    code: str
    validation: ValidateOutcome
    fixes: list[Fix] = field(default_factory=list)
    tried: int = 0


def progress(outcome: ValidateOutcome, line_in_old: Optional[Callable[[int], int]] = None) -> tuple[int, int]:
    """How far a validation got: (animations played before the error, the error's line), the line mapped
    back to the code before the repair when `line_in_old` is given."""
    line = outcome.errors[0].line if outcome.errors and outcome.errors[0].line else 0
    return outcome.animations, line_in_old(line) if line_in_old and line else line


def old_line(old_code: str, new_code: str) -> Callable[[int], int]:
    """Maps a line of the repaired code to the line it stands for in the code before: lines a repair
    inserted (a stand-in class, a colour) shift everything below without getting the scene any further."""
    blocks = difflib.SequenceMatcher(None, old_code.splitlines(), new_code.splitlines(), autojunk=False).get_opcodes()

    def mapped(line: int) -> int:
        for tag, i1, i2, j1, j2 in blocks:
            if j1 < line <= j2 or (j1 == j2 == line - 1):
                return i1 + (line - j1) if tag == "equal" else i1 + 1  # inside a change: the changed line
        return line
    return mapped


def further(new: ValidateOutcome, old: ValidateOutcome, old_code: str = "", new_code: str = "") -> bool:
    if new.ok:
        return True
    if not new.errors or not old.errors:
        return False
    return progress(new, old_line(old_code, new_code) if old_code and new_code else None) > progress(old)


def repair(code: str, failed: ValidateOutcome, validate: Callable[[str], ValidateOutcome], *,
           max_rounds: int = MAX_ROUNDS) -> Outcome:
    """From a failed validation of `code`, repair while the scene gets further. `validate(code)` returns
    a ValidateOutcome (run in the sandbox)."""
    best = Outcome(code, failed)
    while not best.validation.ok and best.tried < max_rounds:
        for proposal in from_error.propose(best.code, best.validation.errors[0]):
            if best.tried >= max_rounds:
                break
            best.tried += 1
            outcome = validate(proposal.code)
            if further(outcome, best.validation, best.code, proposal.code):
                best = Outcome(proposal.code, outcome, best.fixes + [proposal.fix], best.tried)
                break  # a new error (or none): propose again from there
        else:
            break  # no proposal got further: the error stays as it was
    return best
