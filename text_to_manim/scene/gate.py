"""The gate: the policy review and the scene choice, once per version of the code.

`check` is the only maker of a `CheckedCode`; validate and render take one and run it without reviewing it
again, and review raw code themselves (their public guard). A `CheckedCode` carries a seal over its code
and scene made with a key only this module holds, so neither a hand-made one nor a `dataclasses.replace`
with other code gets past `__post_init__`.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Optional

from text_to_manim.events import VALIDATE, CodeError
from text_to_manim.jobs import Job
from text_to_manim.scene import classes as scenes
from text_to_manim.scene import policy

_KEY = secrets.token_bytes(32)  # per process: a seal is never stored or sent
NOT_FROM_GATE = "CheckedCode is made only by scene.gate.check (the policy review and scene choice)"


def _seal(code: str, scene: str) -> str:
    return hmac.new(_KEY, f"{scene}\0{code}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CheckedCode:
    """Code the policy accepted, with the scene class to run and the note on that choice."""

    code: str
    scene: str
    note: str = ""
    warnings: tuple[CodeError, ...] = ()  # the policy's warnings: it runs, but may not work as meant
    seal: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not hmac.compare_digest(self.seal, _seal(self.code, self.scene)):
            raise TypeError(NOT_FROM_GATE)


@dataclass(frozen=True)
class Verdict:
    """The gate's answer: `checked` when the code may run, else the errors (policy, or no scene)."""

    checked: Optional[CheckedCode]
    review: policy.Review
    errors: list[CodeError]
    note: str = ""


def check(code: str, job: Job, scene: Optional[str] = None) -> Verdict:
    """Review `code` (with the files the job ships) and choose its scene; the code is the job's scene file
    from here on, so what runs is what was checked."""
    review = policy.review(code, policy.shipped_files(job.dir))
    if review.errors:
        return Verdict(None, review, list(review.errors))
    name, note = scenes.choose(code, scene)
    if name is None:
        return Verdict(None, review, [CodeError(VALIDATE, note, kind="no-scene")], note)
    place(code, job)
    return Verdict(CheckedCode(code, name, note, tuple(review.warnings), _seal(code, name)), review, [], note)


def place(code: str, job: Job) -> None:
    """Write the code as the job's scene file unless it is that already."""
    if not job.scene_file.exists() or job.scene_file.read_text(encoding="utf-8") != code:
        job.write_code(code)
