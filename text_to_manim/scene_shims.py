"""Run-time compatibility shims for scene code, installed inside the sandbox before the scene loads.

Bound read-only beside the runner and imported by it, so like the runner it must stand alone (stdlib +
manim, no import of text_to_manim). What sanitize cannot fix in the source (names computed at run time,
files that do not exist) is made to work here; each shim that fires says so through `note()`, which the
runner reports to the user like a sanitize fix.
"""
from __future__ import annotations

NOTES: list[str] = []


def note(text: str) -> None:
    """Record what a shim changed (once per distinct text)."""
    if text not in NOTES:
        NOTES.append(text)


def install(scene_file: str) -> None:
    """Patch Manim before the scene module is imported."""
