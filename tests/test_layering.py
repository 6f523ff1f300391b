"""The tree explains itself only while its imports go one way (docs/ARCHITECTURE.md, "The tree").

Read from the source (the AST), so a test run imports nothing it checks."""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "text_to_manim"
# Lowest first: a folder may import the folders before it, never one after it. "top" is the shared
# vocabulary (config, events, jobs, store, gallery) that every folder may use.
LAYERS = ["top", "sandbox", "tex", "speech", "generate", "fixes", "scene", "pipeline", "cli", "web"]
ENTRY_POINTS = {"text_to_manim.__main__"}  # `python -m text_to_manim` starts the CLI: above everything
RUNNER = "text_to_manim.sandbox.runner"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module imported, or the module a name is imported from
    names: tuple[str, ...]
    line: int


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imports() -> list[Import]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                names = tuple(a.name for a in node.names)
                if base == "text_to_manim" or (PACKAGE.parent / base.replace(".", "/")).is_dir():
                    for name in names:  # `from package import module`
                        target = f"{base}.{name}"
                        if (PACKAGE.parent / target.replace(".", "/")).with_suffix(".py").exists() or \
                                (PACKAGE.parent / target.replace(".", "/")).is_dir():
                            found.append(Import(source, target, (), node.lineno))
                        else:
                            found.append(Import(source, base, (name,), node.lineno))
                else:
                    found.append(Import(source, base, names, node.lineno))
            elif isinstance(node, ast.Import):
                found += [Import(source, a.name, (), node.lineno) for a in node.names]
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and (PACKAGE / parts[1]).is_dir():  # a folder's modules and its __init__
        return parts[1]
    return "top"


def ours(imp: Import) -> bool:
    return imp.target == "text_to_manim" or imp.target.startswith("text_to_manim.")


def test_imports_go_down_the_layers_only():
    wrong = [f"{i.source}:{i.line} imports {i.target} ({layer(i.source)} may not use {layer(i.target)})"
             for i in imports() if ours(i) and i.source not in ENTRY_POINTS
             and LAYERS.index(layer(i.target)) > LAYERS.index(layer(i.source))]
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_another_modules_private_names():
    wrong = [f"{i.source}:{i.line} imports {name} from {i.target}" for i in imports() if ours(i)
             for name in i.names if name.startswith("_") and i.target != i.source]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles_between_modules():
    graph: dict[str, set[str]] = {}
    for i in imports():
        if ours(i) and i.target != i.source:
            graph.setdefault(i.source, set()).add(i.target)
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]) if nxt in path else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(cycles)


def test_the_runner_uses_only_the_standard_library_manim_and_itself():
    """It is all of the project a sandboxed run sees: an import of text_to_manim would fail there."""
    allowed = set(sys.stdlib_module_names) | {"manim", "manimpango", "svgelements", "av", "numpy", "PIL", "t2m_runner"}
    wrong = [f"{i.source}:{i.line} imports {i.target}" for i in imports() if i.source.startswith(RUNNER)
             and not i.target.startswith(RUNNER) and i.target.split(".")[0] not in allowed]
    assert not wrong, "\n".join(wrong)
