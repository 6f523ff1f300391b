"""The policy check: what scene code may contain, decided from its AST before anything runs.

The sandbox is the wall (no network, no file outside the job folder, no keys, bounded memory, CPU and
time); the policy is the guide that explains itself. It refuses, with a line and a plain reason, only
what the sandbox cannot bound or what can never be a scene: starting programs or processes (a fork
bomb is not bounded by per-process limits), native code and raw memory, code built or loaded at run
time, and the interpreter internals (dunders, frames, code objects, computed attribute names) through
which any of those would be reached without being named. Everything else runs in the sandbox; what is
likely to fail there (a missing image, a path outside the job folder) is a warning shown to the user.
"""
from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from text_to_manim import syntax
from text_to_manim.events import POLICY, CodeError
from text_to_manim.scene.classes import dotted, scene_classes

MAX_CODE_BYTES = 256 * 1024  # a scene is a few hundred lines; megabytes are a mistake or an attack

PROCESS = "starts programs or processes, which the sandbox cannot bound and a scene never needs"
NETWORK = "opens network connections; a render has no network"
NATIVE = "reaches native code or raw memory"
LOADS_CODE = "loads or runs code at run time, around these checks"
INTERNALS = "reaches the interpreter's internals (a classic way around these checks)"
THREADS = "runs work outside the scene's timeline (threads, processes, event loops)"
# Issue 16.6, one family: helpers of Manim and of the libraries installed beside it that turn a file or a
# string into running Python (manim's module_ops.get_module / scene_classes_from_file import a .py file;
# its IPython magic and docs directives exec cells; template engines and unsafe YAML loaders run what
# they parse; PIL's ImageMath.unsafe_eval). Refused as modules and, wherever reached, as attributes.
CODE_LOADER_MODULES = ("manim.utils.module_ops", "manim.utils.ipython_magic", "manim.utils.docbuild", "yaml",
                       "jinja2", "mako", "PIL.ImageMath")
CODE_LOADER_ATTRIBUTES = ("module_ops", "get_module", "scene_classes_from_file", "ipython_magic", "docbuild",
                          "unsafe_eval", "unsafe_load", "unsafe_load_all", "UnsafeLoader", "ImageMath")
DENIED_MODULES = {
    **dict.fromkeys(("subprocess", "_posixsubprocess", "multiprocessing", "pty", "pexpect", "sh", "plumbum",
                     "posix", "nt", "webbrowser", "pydoc", "ensurepip", "venv", "pip", "setuptools",
                     "distutils", "manim.utils.commands", "manim.utils.file_ops", "manim.cli",
                     "manim.__main__", "PIL.ImageShow", "PIL.ImageGrab", "numpy.f2py", "numpy.distutils",
                     "logging.config"), PROCESS),
    **dict.fromkeys(("socket", "_socket", "ssl", "select", "selectors", "urllib", "http", "requests", "httpx",
                     "aiohttp", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc",
                     "socketserver", "paramiko", "gradio", "openai"), NETWORK),
    **dict.fromkeys(("ctypes", "_ctypes", "cffi", "mmap", "fcntl", "resource", "signal", "termios",
                     "numpy.ctypeslib"), NATIVE),
    **dict.fromkeys(("importlib", "imp", "pkgutil", "runpy", "zipimport", "code", "codeop", "pickle",
                     "_pickle", "cPickle", "dill", "cloudpickle", "joblib", "marshal", "shelve", "copyreg",
                     "doctest", "timeit", "cProfile", "profile", "unittest", "idlelib", *CODE_LOADER_MODULES),
                    LOADS_CODE),
    **dict.fromkeys(("gc", "inspect", "builtins", "__builtin__", "pdb", "bdb", "trace"), INTERNALS),
    **dict.fromkeys(("_thread", "threading", "asyncio", "concurrent"), THREADS),
}
# Modules a scene may use attribute by attribute: os for paths and folders, sys for harmless facts.
OS_ALLOWED = frozenset({"path", "getcwd", "listdir", "scandir", "walk", "makedirs", "mkdir", "remove", "unlink",
                        "rename", "replace", "rmdir", "stat", "sep", "linesep", "curdir", "pardir", "extsep",
                        "pathsep", "fspath", "cpu_count", "PathLike"})
SYS_ALLOWED = frozenset({"exit", "setrecursionlimit", "getrecursionlimit", "version", "version_info", "platform",
                         "maxsize", "float_info", "int_info", "stdout", "stderr", "argv", "byteorder",
                         "float_repr_style", "getsizeof"})
RESTRICTED_MODULES = {"os": OS_ALLOWED, "sys": SYS_ALLOWED}
RESTRICTED_REASON = {"os": "only os.path and listing or making folders are for scenes",
                     "sys": "only harmless facts (version, recursion limit, exit) are for scenes"}

DYNAMIC_CALLS = {
    "exec": "runs code built at run time",
    "eval": "runs code built at run time",
    "compile": "builds code at run time",
    "__import__": "imports modules around these checks",
    "globals": "exposes the module's internals",
    "locals": "exposes internals",
    "vars": "exposes internals",
    "breakpoint": "stops the render in a debugger",
}
FORBIDDEN_CALLS = {
    **DYNAMIC_CALLS,
    "input": "waits for a keyboard that a render does not have",
    "exit": "ends the process", "quit": "ends the process",
    "open_file": "opens files with the desktop's programs",
}
ATTR_FUNCS = ("getattr", "setattr", "delattr", "hasattr", "attrgetter", "methodcaller")
# Used as a value (`f = getattr`, `@eval`, `map(getattr, …)`) these escape the call checks above.
NO_BARE_USE = frozenset(DYNAMIC_CALLS) | frozenset(ATTR_FUNCS)
FORBIDDEN_NAMES = {"SceneFileWriter": "writes files outside the render", "__builtins__": "reaches the builtins"}
# Attribute names that only ever start processes, read the environment, reach native memory, walk frames
# or build code, on whatever object they are (pathlib.os, tempfile._os, utils.commands, gi_frame.f_back …).
# A scene's own attributes (self.system) are its business.
FORBIDDEN_ATTRIBUTES = {
    **dict.fromkeys(("system", "popen", "fork", "forkpty", "startfile", "posix_spawn", "posix_spawnp",
                     "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe",
                     "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe", "killpg",
                     "subprocess", "_subprocess", "commands", "file_ops", "ImageShow", "f2py", "distutils",
                     "posix", "nt"), PROCESS),
    **dict.fromkeys(("environ", "environb", "getenv", "putenv", "unsetenv"),
                    "reads the process environment, which holds nothing for a scene"),
    **dict.fromkeys(("ctypes", "ctypeslib"), NATIVE),
    **dict.fromkeys(("symlink", "symlink_to", "hardlink_to", "link_to", "mkfifo", "mknod", "chroot"),
                    "creates links or special files, which a scene never needs"),
    **dict.fromkeys(("f_back", "f_globals", "f_locals", "f_builtins", "f_code", "gi_frame", "gi_code", "cr_frame",
                     "cr_code", "ag_frame", "ag_code", "tb_frame", "tb_next", "co_code", "co_consts", "co_names",
                     "func_globals", "func_code", "_getframe", "get_field", "CodeType", "FunctionType",
                     "LambdaType", "FrameType", "CellType", "os", "_os", "sys", "_sys", "builtins", "_builtins",
                     "importlib", "socket", "_socket", "pickle", "marshal"), INTERNALS),
    **dict.fromkeys(("eval", "exec", "read_pickle", "load_module", "exec_module", *CODE_LOADER_ATTRIBUTES),
                    LOADS_CODE),
}
# Dunders that are ordinary Python (construction, protocols, names); every other one reaches internals.
ALLOWED_DUNDER_ATTRIBUTES = frozenset({
    "__init__", "__name__", "__doc__", "__class__", "__qualname__", "__file__", "__version__", "__len__",
    "__iter__", "__next__", "__getitem__", "__setitem__", "__contains__", "__call__", "__repr__", "__str__",
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__", "__add__", "__radd__",
    "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__neg__", "__abs__", "__pow__", "__matmul__",
    "__enter__", "__exit__",
})
ALLOWED_DUNDER_NAMES = frozenset({"__name__", "__doc__", "__file__", "__all__", "__slots__", "__version__",
                                  "__author__"})
FILE_MOBJECTS = ("ImageMobject", "SVGMobject")
# Calls whose first argument is a path: a literal outside the job folder will not be there in the sandbox.
PATH_CALLS = frozenset({"open", "Path", "PurePath", "ImageMobject", "SVGMobject", "load", "loadtxt", "genfromtxt",
                        "fromfile", "imread", "read_csv", "listdir", "scandir", "walk"})
# Calls that write a file the scene may load later (PIL's save, numpy's save …).
WRITE_CALLS = frozenset({"save", "savefig", "imsave", "write_bytes", "write_text", "savetxt", "tofile", "open"})
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".svg", ".gif", ".bmp"})

MISSING_FILE = ("{kind}({name!r}): the job folder has no file {name!r} (files in it: {shipped}); the scene "
                "shows a labelled placeholder in its place. Ship the file with the job, or draw the picture "
                "with shapes")
OUTSIDE_JOB = ("{name!r} is outside the job folder: the sandbox shows a scene only its own folder, so this "
               "will fail; use a path beside the scene (a relative name, or Path(__file__).parent / name)")


@dataclass(frozen=True)
class Review:
    """What the policy says about a piece of code: refusals stop it, warnings go to the user."""

    errors: list = field(default_factory=list)  # list[CodeError]: the code does not run
    warnings: list = field(default_factory=list)  # list[CodeError]: it runs; this may not work as meant


def _err(message: str, node: ast.AST | None = None, kind: str = "", lines: list[str] | None = None) -> CodeError:
    line = getattr(node, "lineno", None)
    source = lines[line - 1].strip() if (lines and line and 0 < line <= len(lines)) else ""
    return CodeError(stage=POLICY, message=message, line=line, kind=kind, source_line=source)


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and len(name) > 4


def _denied_module(name: str) -> str | None:
    """The reason a module (or any package above it) is refused, else None."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        reason = DENIED_MODULES.get(".".join(parts[:i]))
        if reason:
            return reason
    return None


def _string_value(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _outside(path: str) -> bool:
    return path.startswith(("/", "~")) or ".." in Path(path).parts


def shipped_files(folder: Path) -> list[str]:
    """Image files a job folder ships, which ImageMobject/SVGMobject may use without a warning."""
    return [p.name for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS and p.name != "preview.png"]


class _Checker(ast.NodeVisitor):
    def __init__(self, tree: ast.Module, lines: list[str], allowed_files: set[str]):
        self.lines = lines
        self.allowed_files = allowed_files
        self.errors: list[CodeError] = []
        self.warnings: list[CodeError] = []
        self.modules: dict[str, str] = {}  # local name -> restricted module it is bound to ("os", "sys")
        self.attr_funcs: set[str] = set(ATTR_FUNCS)  # local names of getattr-like functions
        self.used: set[int] = set()  # ids of Name nodes used as an attribute's object or as a called function
        self.written: set[str] = set()  # file names the code itself writes (and may then load)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                self.used.add(id(node.value))
            elif isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name):
                    self.used.add(id(node.func))
                if _call_name(node) in WRITE_CALLS:
                    self.written.update(s for s in map(_string_value, [*node.args, *(k.value for k in node.keywords)]) if s)

    def add(self, node, kind, message):
        self.errors.append(_err(message, node, kind, self.lines))

    def warn(self, node, kind, message):
        self.warnings.append(_err(message, node, kind, self.lines))

    # -- imports -----------------------------------------------------------------------------------------
    def _module(self, node, name: str) -> bool:
        reason = _denied_module(name)
        if reason:
            self.add(node, "forbidden-import", f"import of '{name}' is refused: it {reason}")
        return reason is None

    def visit_Import(self, node):
        for alias in node.names:
            if self._module(node, alias.name):
                top = alias.name.split(".")[0]
                bound = alias.name if alias.asname else top  # `import os.path` binds os
                if bound in RESTRICTED_MODULES:
                    self.modules[alias.asname or top] = bound

    def visit_ImportFrom(self, node):
        if node.level:
            self.add(node, "relative-import", "relative imports are not allowed: a scene is a single file")
            return
        module = node.module or ""
        if not self._module(node, module):
            return
        for alias in node.names:
            if alias.name == "*":
                if module in RESTRICTED_MODULES:
                    self.add(node, "forbidden-import", f"'from {module} import *' brings in all of {module}; "
                                                       f"{RESTRICTED_REASON[module]}: import {module} and name what you use")
            elif self._module(node, f"{module}.{alias.name}"):
                self._imported_name(node, module, alias)

    def _imported_name(self, node, module: str, alias: ast.alias) -> None:
        if module in RESTRICTED_MODULES and alias.name not in RESTRICTED_MODULES[module]:
            self.add(node, "forbidden-attribute", f"'{module}.{alias.name}' is refused: {RESTRICTED_REASON[module]}")
        elif alias.name in FORBIDDEN_ATTRIBUTES:
            self.add(node, "forbidden-attribute",
                     f"'{module}.{alias.name}' is refused: it {FORBIDDEN_ATTRIBUTES[alias.name]}")
        elif alias.name in ATTR_FUNCS:
            self.attr_funcs.add(alias.asname or alias.name)

    # -- names and attributes ----------------------------------------------------------------------------
    def visit_Name(self, node):
        name = node.id
        if name in FORBIDDEN_NAMES:
            self.add(node, "forbidden-name", f"'{name}' {FORBIDDEN_NAMES[name]}")
        elif _is_dunder(name) and name not in ALLOWED_DUNDER_NAMES:
            self.add(node, "dunder", f"'{name}' {INTERNALS}, which scene code may not touch")
        elif isinstance(node.ctx, ast.Load) and id(node) not in self.used:
            if name in self.modules:
                self.add(node, "module-value", f"the module '{self.modules[name]}' is passed around as a value; "
                                               f"use its functions by name ({self.modules[name]}.something)")
            elif name in NO_BARE_USE or name in self.attr_funcs:
                self.add(node, "forbidden-call", f"'{name}' used as a value (not called with a written-out "
                                                 f"name) {INTERNALS}")

    def visit_Attribute(self, node):
        attr, owner = node.attr, node.value
        on_self = isinstance(owner, ast.Name) and owner.id in ("self", "cls")
        if _is_dunder(attr) and attr not in ALLOWED_DUNDER_ATTRIBUTES:
            self.add(node, "dunder", f"attribute '{attr}' {INTERNALS}, which scene code may not touch")
        elif isinstance(owner, ast.Name) and owner.id in self.modules:
            module = self.modules[owner.id]
            if attr not in RESTRICTED_MODULES[module]:
                self.add(node, "forbidden-attribute", f"'{module}.{attr}' is refused: {RESTRICTED_REASON[module]}")
        elif attr in FORBIDDEN_ATTRIBUTES and not on_self:
            self.add(node, "forbidden-attribute",
                     f"'{dotted(node) or attr}' is refused: it {FORBIDDEN_ATTRIBUTES[attr]}")
        self.generic_visit(node)

    # -- calls -------------------------------------------------------------------------------------------
    def visit_Call(self, node):
        name = _call_name(node)
        if isinstance(node.func, ast.Name) and name in FORBIDDEN_CALLS:
            self.add(node, "forbidden-call", f"'{name}()' {FORBIDDEN_CALLS[name]}; scene code may not call it")
        elif name in self.attr_funcs:
            self._attr_func(node, name)
        if any(k.arg == "allow_pickle" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
               for k in node.keywords):
            self.add(node, "forbidden-call", f"'{name}(…, allow_pickle=…)' {LOADS_CODE} (a pickle runs code when loaded)")
        if name in FILE_MOBJECTS:
            self._file_mobject(node, name)
        elif name in PATH_CALLS:
            path = _string_value(node.args[0]) if node.args else None
            if path and _outside(path):
                self.warn(node, "outside-job", OUTSIDE_JOB.format(name=path))
        self.generic_visit(node)

    def _attr_func(self, node, name):
        """getattr(obj, 'name') and friends: the name must be written out and must not reach internals."""
        names = node.args[1:2] if name in ("getattr", "setattr", "delattr", "hasattr") else node.args[:1]
        value = _string_value(names[0]) if names else None
        if value is None:
            self.add(node, "dynamic-attribute", f"'{name}()' with a computed attribute name can reach Python "
                                                f"internals; write the attribute out (obj.name)")
        elif any((_is_dunder(p) and p not in ALLOWED_DUNDER_ATTRIBUTES) or p in FORBIDDEN_ATTRIBUTES
                 for p in value.split(".")):
            self.add(node, "dunder", f"'{name}(…, {value!r})' {INTERNALS}, which scene code may not touch")

    def _file_mobject(self, node, kind):
        name = _string_value(node.args[0]) if node.args else None
        if name is None or name in self.allowed_files or name in self.written or Path(name).name in self.written:
            return  # an array, a computed path, a shipped file or one the scene writes itself
        if _outside(name):
            self.warn(node, "outside-job", OUTSIDE_JOB.format(name=name))
        else:
            shipped = ", ".join(sorted(self.allowed_files)) or "none"
            self.warn(node, "missing-file", MISSING_FILE.format(kind=kind, name=name, shipped=shipped))


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


def review(code: bytes | str, allowed_files: Iterable[str] = ()) -> Review:
    """Refusals (the code must not run) and warnings (it runs in the sandbox; tell the user)."""
    text, errors = decode(code)
    if errors or text is None:
        return Review(errors)
    lines = text.splitlines()
    try:
        tree = syntax.parse(text)
    except SyntaxError as exc:
        return Review([CodeError(stage=POLICY, message=f"Python cannot parse the code: {exc.msg}", line=exc.lineno,
                                 kind="SyntaxError", source_line=(exc.text or "").strip())])
    except (ValueError, RecursionError, MemoryError) as exc:
        return Review([_err(f"Python cannot parse the code: {exc}", kind="SyntaxError")])
    try:
        checker = _Checker(tree, lines, set(allowed_files))
        checker.visit(tree)
    except RecursionError:
        return Review([_err("the code is nested too deeply to check; simplify the expressions", kind="too-deep")])
    if not scene_classes(tree):
        checker.errors.append(_err("no Scene found: define a class deriving from Scene (or ThreeDScene, "
                                   "MovingCameraScene …) with a construct(self) method", kind="no-scene"))
    by_line = lambda e: (e.line or 0)  # noqa: E731
    return Review(sorted(checker.errors, key=by_line), sorted(checker.warnings, key=by_line))


def check(code: bytes | str, allowed_files: Iterable[str] = ()) -> list[CodeError]:
    """The refusals in `code`; [] when it may go on to run in the sandbox."""
    return review(code, allowed_files).errors
