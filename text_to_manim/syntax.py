"""Parsing Python source in the app's process, one thread at a time.

Jobs run in threads of one process (the app's visitors, a lesson's scenes, the speech step beside the build),
and CPython 3.11 keeps the AST constructor's recursion depth in state shared by all threads: two `ast.parse`
calls at once can fail with "SystemError: AST constructor recursion depth mismatch" (python/cpython#106905),
which ended a job as an internal error. Every parse of source in the app goes through here.
"""
from __future__ import annotations

import ast
import threading
from typing import Any

_LOCK = threading.Lock()


def parse(source: str, mode: str = "exec", **kwargs: Any) -> Any:
    """`ast.parse`, serialized (a SyntaxError comes through as from ast.parse)."""
    with _LOCK:
        return ast.parse(source, mode=mode, **kwargs)


def literal_eval(text: str) -> Any:
    """`ast.literal_eval` of source text (it parses), serialized."""
    with _LOCK:
        return ast.literal_eval(text)


def compile_ast(source: str, filename: str = "<scene>") -> ast.AST:
    """`compile(..., PyCF_ONLY_AST)` without inheriting the caller's future flags, serialized."""
    with _LOCK:
        return compile(source, filename, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
