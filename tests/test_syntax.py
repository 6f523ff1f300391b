"""Parsing source from several threads at once (the app's jobs are threads): CPython 3.11's AST constructor
keeps its recursion depth in shared state, so two parses at once can fail with a SystemError that ended a job
as an internal error (seen in CI: the speech step parsing beside the build). `syntax.parse` serializes."""
from __future__ import annotations

import gc
import threading
import time

from text_to_manim import syntax

from .conftest import ROOT

SOURCE = (ROOT / "text_to_manim" / "web" / "app.py").read_text()


class _Cycle:
    """Garbage whose finalizer runs Python code: a collection inside the AST constructor then lets another
    thread run, as any allocation in a busy app can."""

    def __init__(self):
        self.me = self

    def __del__(self):
        time.sleep(0)


def _parse_in_threads(parse, seconds: float = 2.0, threads: int = 4) -> list[str]:
    errors: list[str] = []
    old = gc.get_threshold()
    gc.set_threshold(50, 5, 5)

    def work():
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for _ in range(20):
                _Cycle()
            try:
                parse(SOURCE)
            except SystemError as exc:
                errors.append(str(exc))

    try:
        ts = [threading.Thread(target=work) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    finally:
        gc.set_threshold(*old)
    return errors


def test_parsing_from_many_threads_at_once_never_fails():
    # With ast.parse in place of syntax.parse this harness fails on Python 3.11.7 (once in ~2 s).
    assert _parse_in_threads(syntax.parse) == []



def test_the_app_parses_source_only_through_syntax():
    """A new `ast.parse` elsewhere would bring the race back (the runner is a process of its own)."""
    package = ROOT / "text_to_manim"
    offenders = [str(p.relative_to(ROOT)) for p in package.rglob("*.py")
                 if "runner" not in p.parts and p.name != "syntax.py"
                 and ("ast.parse(" in p.read_text() or "PyCF_ONLY_AST" in p.read_text())]
    assert offenders == []
