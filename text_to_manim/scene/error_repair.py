"""Error-driven repair: validate, read the error, repair its shape, validate again; keep what gets further.

`fixes/from_error.py` proposes one repair per error; this loop decides. A repair is kept only if the scene
then gets further: it validates, or it fails after more animations, or after as many but on a later line.
Otherwise it is undone, and the error the person (and a model's repair round) sees is the original one,
with its line: a guess never hides the real cause (an undefined `circle` is not the class `Circle`).
Rounds are bounded; each costs one validation (a frameless run, seconds).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from text_to_manim.events import Fix
from text_to_manim.fixes import from_error

MAX_ROUNDS = 8


@dataclass
class Outcome:
    """The best code found, its validation, the repairs kept (in order) and how many were tried."""

    code: str
    validation: object  # scene.validate.ValidateOutcome
    fixes: list[Fix] = field(default_factory=list)
    tried: int = 0


def progress(outcome) -> tuple[int, int]:
    """How far a validation got: (animations played before the error, the error's line)."""
    line = outcome.errors[0].line if outcome.errors and outcome.errors[0].line else 0
    return outcome.animations, line


def further(new, old) -> bool:
    if new.ok:
        return True
    if not new.errors or not old.errors:
        return False
    return progress(new) > progress(old)


def repair(code: str, failed, validate: Callable[[str], object], *, max_rounds: int = MAX_ROUNDS) -> Outcome:
    """From a failed validation of `code`, repair while the scene gets further. `validate(code)` returns
    a ValidateOutcome (run in the sandbox)."""
    best = Outcome(code, failed)
    while not best.validation.ok and best.tried < max_rounds:
        for proposal in from_error.propose(best.code, best.validation.errors[0]):
            if best.tried >= max_rounds:
                break
            best.tried += 1
            outcome = validate(proposal.code)
            if further(outcome, best.validation):
                best = Outcome(proposal.code, outcome, best.fixes + [proposal.fix], best.tried)
                break  # a new error (or none): propose again from there
        else:
            break  # no proposal got further: the error stays as it was
    return best
