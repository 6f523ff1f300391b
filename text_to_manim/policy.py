"""The policy check: what scene code may contain, decided from its AST before anything runs.

It is the first line of defence and the one that explains itself (a line and a plain reason per
violation); the sandbox is the one that holds when this one is fooled.
"""
from __future__ import annotations

import ast
from typing import Iterable

from .events import POLICY, CodeError
from .scenes import dotted as _dotted, scene_classes

MAX_CODE_BYTES = 256 * 1024  # a scene is a few hundred lines; megabytes are a mistake or an attack

ALLOWED_MODULES = frozenset({
    "manim", "numpy", "math", "cmath", "random", "itertools", "functools", "collections", "colour",
    "scipy", "sklearn", "typing", "dataclasses", "string", "re", "statistics", "fractions", "decimal",
    "enum", "operator", "copy", "abc", "__future__", "numbers", "bisect", "heapq", "textwrap",
})
FORBIDDEN_MODULES = frozenset({
    "os", "sys", "subprocess", "socket", "shutil", "pathlib", "ctypes", "pickle", "importlib", "builtins",
    "io", "tempfile", "glob", "urllib", "http", "requests", "signal", "multiprocessing", "threading",
    "asyncio", "inspect", "gc", "marshal", "shelve", "code", "codeop", "pty", "platform", "resource",
})
FORBIDDEN_CALLS = {
    "open": "reads or writes files",
    "exec": "runs code built at run time",
    "eval": "runs code built at run time",
    "compile": "builds code at run time",
    "__import__": "imports modules behind the policy's back",
    "globals": "exposes the module's internals",
    "locals": "exposes internals",
    "vars": "exposes internals",
    "input": "waits for a keyboard that a render does not have",
    "breakpoint": "stops the render in a debugger",
    "exit": "ends the process", "quit": "ends the process",
    "open_file": "opens files with the desktop's programs",
    "memoryview": "reaches raw memory",
}
FORBIDDEN_NAMES = {"SceneFileWriter": "writes files outside the render", "__builtins__": "reaches the builtins"}
ATTR_FUNCS = ("getattr", "setattr", "delattr", "hasattr")
# numpy/scipy functions that read or write files or reach C: the sandbox would contain them, but a
# scene never needs them, so say so early.
FORBIDDEN_ATTRIBUTES = {
    "system": "runs shell commands", "popen": "runs shell commands", "fromfile": "reads files",
    "tofile": "writes files", "loadtxt": "reads files", "savetxt": "writes files", "genfromtxt": "reads files",
    "load": "reads files", "save": "writes files", "savez": "writes files", "savez_compressed": "writes files",
    "memmap": "maps files", "ctypeslib": "reaches C memory", "open_memmap": "maps files",
}
ALLOWED_DUNDER_ATTRIBUTES = frozenset({"__init__", "__name__", "__doc__"})
FILE_MOBJECTS = ("ImageMobject", "SVGMobject")


def _err(message: str, node: ast.AST | None = None, kind: str = "", lines: list[str] | None = None) -> CodeError:
    line = getattr(node, "lineno", None)
    source = lines[line - 1].strip() if (lines and line and 0 < line <= len(lines)) else ""
    return CodeError(stage=POLICY, message=message, line=line, kind=kind, source_line=source)


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and len(name) > 4


class _Checker(ast.NodeVisitor):
    def __init__(self, lines: list[str], allowed_files: set[str]):
        self.lines = lines
        self.allowed_files = allowed_files
        self.errors: list[CodeError] = []

    def add(self, node, kind, message):
        self.errors.append(_err(message, node, kind, self.lines))

    def _module(self, node, name: str) -> None:
        top = name.split(".")[0]
        if top in ALLOWED_MODULES:
            return
        why = "is not allowed in scene code" if top in FORBIDDEN_MODULES else "is not on the allow-list"
        self.add(node, "forbidden-import",
                 f"import of '{name}' {why}; scenes may import only: {', '.join(sorted(ALLOWED_MODULES - {'__future__'}))}")

    def visit_Import(self, node):
        for alias in node.names:
            self._module(node, alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        if node.level:
            self.add(node, "relative-import", "relative imports are not allowed: a scene is a single file")
        else:
            self._module(node, node.module or "")
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in FORBIDDEN_NAMES:
            self.add(node, "forbidden-name", f"'{node.id}' {FORBIDDEN_NAMES[node.id]}")
        elif _is_dunder(node.id) and node.id not in ("__name__", "__doc__"):
            self.add(node, "dunder", f"'{node.id}' reaches Python internals, which scene code may not touch")
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if _is_dunder(node.attr) and node.attr not in ALLOWED_DUNDER_ATTRIBUTES:
            self.add(node, "dunder", f"attribute '{node.attr}' reaches Python internals (a classic sandbox "
                                     f"escape), which scene code may not touch")
        elif node.attr in FORBIDDEN_ATTRIBUTES:
            self.add(node, "forbidden-attribute",
                     f"'{_dotted(node) or node.attr}' {FORBIDDEN_ATTRIBUTES[node.attr]}, which scene code may not do")
        self.generic_visit(node)

    def visit_Call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name in FORBIDDEN_CALLS:
            self.add(node, "forbidden-call", f"'{name}()' {FORBIDDEN_CALLS[name]}; scene code may not call it")
        elif name in ATTR_FUNCS:
            self._attr_func(node, name)
        attr = node.func.attr if isinstance(node.func, ast.Attribute) else name
        if attr in FILE_MOBJECTS:
            self._file_mobject(node, attr)
        self.generic_visit(node)

    def _attr_func(self, node, name):
        arg = node.args[1] if len(node.args) > 1 else None
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            self.add(node, "dynamic-attribute", f"'{name}()' with a computed attribute name can reach Python "
                                                f"internals; write the attribute out (obj.name)")
        elif _is_dunder(arg.value) or arg.value.startswith("_"):
            self.add(node, "dunder", f"'{name}(…, {arg.value!r})' reaches private internals, which scene code may not touch")

    def _file_mobject(self, node, kind):
        arg = node.args[0] if node.args else None
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value in self.allowed_files:
            return
        shipped = ", ".join(sorted(self.allowed_files)) or "none"
        self.add(node, "missing-file", f"{kind} needs an image file shipped with the job (files shipped: "
                                       f"{shipped}); draw the picture with shapes instead")


def decode(data: bytes | str) -> tuple[str | None, list[CodeError]]:
    """Bytes from a file or an upload to text, or a clear reason why they are not scene code."""
    if isinstance(data, str):
        text = data
        size = len(data.encode("utf-8", "replace"))
    else:
        size = len(data)
        if b"\x00" in data[:65536]:
            return None, [_err("the file is binary, not Python source; give a .py file with a Scene class",
                               kind="binary")]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, [_err(f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8 Python source",
                               kind="encoding")]
    if size > MAX_CODE_BYTES:
        return None, [_err(f"the code is {size / 1024:.0f} KiB; a scene may be at most {MAX_CODE_BYTES // 1024} "
                           f"KiB. Split it or remove data pasted into it", kind="too-large")]
    if "\x00" in text:
        return None, [_err("the code contains NUL bytes: it is binary, not Python source", kind="binary")]
    if not text.strip():
        return None, [_err("the code is empty; write a class deriving from Scene with a construct(self) method",
                           kind="empty")]
    return text, []


def check(code: bytes | str, allowed_files: Iterable[str] = ()) -> list[CodeError]:
    """All policy violations in `code`; [] when it may go on to run in the sandbox."""
    text, errors = decode(code)
    if errors:
        return errors
    lines = text.splitlines()
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return [CodeError(stage=POLICY, message=f"Python cannot parse the code: {exc.msg}", line=exc.lineno,
                          kind="SyntaxError", source_line=(exc.text or "").strip())]
    except (ValueError, RecursionError, MemoryError) as exc:
        return [_err(f"Python cannot parse the code: {exc}", kind="SyntaxError")]
    checker = _Checker(lines, set(allowed_files))
    try:
        checker.visit(tree)
    except RecursionError:
        return [_err("the code is nested too deeply to check; simplify the expressions", kind="too-deep")]
    if not scene_classes(tree):
        checker.errors.append(_err("no Scene found: define a class deriving from Scene (or ThreeDScene, "
                                   "MovingCameraScene …) with a construct(self) method", kind="no-scene"))
    return sorted(checker.errors, key=lambda e: (e.line or 0))
