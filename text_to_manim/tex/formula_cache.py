"""The shared formula cache: compiled TeX shared by every job, written only by a trusted step.

An entry is Manim's own name for a formula, the hash of the whole TeX document (the formula, its
environment and its template), in a folder per Manim / TeX / dvisvgm version: content-addressed, so an
entry can only ever hold what its TeX source compiles to. Scene sandboxes see the folder read-only and
look there first (runner.tex.install_tex_cache); a miss compiles into the job's private cache, which
no other job reads. So a scene can never poison another job's formulas.

The trusted step (`precompile`, before validation) takes the formulas a scene writes literally
(MathTex/Tex/... calls and axis-label helpers whose TeX arguments are string literals, found in the
AST), and compiles those not yet cached in a sandboxed process that runs no scene code, has no network
and runs TeX with `-no-shell-escape` (the runner's `texbatch` mode). Formulas that cannot change
the state of a TeX document (allow-listed commands, balanced braces) share one latex run, a page each,
and one dvisvgm run; the others compile one document each, so no formula can change how another is
drawn. An index (item -> SVG names) lets a later job skip the step when all its formulas are cached.
Formulas computed at run time (f-strings, DecimalNumber values) still compile privately in the scene.

The rule for a shared latex run (issue 16.2): a document is a page of one only if its whole body, the
very text pasted into the batch, is inert (runner.tex.batchable); parameters are never trusted one by
one. The folder is per trusted step too (its source is part of version_key), so entries an older
step made are never read by a newer one.

Bounds (issue 16.2): one job adds at most MAX_NEW_PER_JOB formulas; the folder holds at most MAX_FILES.
Room is made from formulas no later job has used yet (oldest first); a formula a later job found
cached is marked used and goes only after every unused one, so a flood of new formulas cannot evict
the ones visitors keep using.
"""
from __future__ import annotations

import ast
import hashlib
import json
import logging
import os
import queue
import secrets
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from text_to_manim import config, syntax
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.sandbox.runner.protocol import MARK
from text_to_manim.sandbox.runner.tex import TEX_CLASSES  # what the trusted step compiles
from text_to_manim.sandbox.shared_tex import ensure_dir, shared_dir, version_key  # noqa: F401  (re-exported)

log = logging.getLogger(__name__)

# TeX-relevant keywords of those classes, kept when literal; others (colour, size) do not change the TeX.
TEX_KWARGS = ("arg_separator", "substrings_to_isolate", "tex_environment", "tex_to_color_map")
# Helpers that make MathTex(label) of a string label: method -> (positional index, keyword) of each label.
LABEL_HELPERS = {"get_x_axis_label": ((0, "label"),), "get_y_axis_label": ((0, "label"),),
                 "get_axis_labels": ((0, "x_label"), (1, "y_label")), "get_graph_label": ((1, "label"),)}
AXIS_LABEL_DEFAULTS = {"x_label": "x", "y_label": "y"}
MAX_PER_CALL = 64  # items one call may stand for (a loop over a literal list)
# What DecimalNumber, Integer and number lines typeset, one MathTex per character.
SEED = [{"cls": "MathTex", "args": [c], "kwargs": {}} for c in "0123456789.-+,"] + [
    {"cls": "SingleStringMathTex", "args": ["\\dots"], "kwargs": {}}]
TEX_STEP_LIMITS = sandbox.Limits(wall_seconds=120, cpu_seconds=240)
# Background work (run-time formulas adopted, a prompt's formulas): one request at a time, each shorter.
BACKGROUND_LIMITS = sandbox.Limits(wall_seconds=30, cpu_seconds=60)
MAX_PENDING = 4  # background requests waiting; more are dropped (the cache only saves time)
MAX_ADOPTED = 64  # formulas computed at run time taken from one job
MAX_NEW_PER_JOB = 256  # literal formulas one job may add; the rest compile privately in its scene
MAX_FILES = 20000  # formulas kept in the shared cache
USED_SHARE = 0.75  # of MAX_FILES: used formulas beyond it go, least recently used first
USED_GRAIN = 600  # seconds: last use is recorded to this precision


@dataclass
class TexStats:
    """What the trusted step did for one job."""

    formulas: int = 0  # literal formulas found in the scene
    cached: int = 0  # already in the shared cache
    compiled: int = 0  # compiled now by the trusted step
    seconds: float = 0.0
    error: str = ""


# -- finding the formulas a scene writes literally ---------------------------------------------------

def _literal_value(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise LookupError from None


def _string_list(value) -> Optional[list[str]]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


class _Collector(ast.NodeVisitor):
    """Finds TeX calls whose TeX arguments are literal strings, or names that can only hold literal
    strings: a variable assigned a string, or a loop variable over a literal list of strings
    (`for tex in formulas:`, `for i, tex in enumerate(formulas)`, comprehensions alike)."""

    def __init__(self, tree: ast.AST):
        self.assigned: dict[str, list[str]] = {}  # NAME = "tex" or NAME = ["tex", ...] anywhere
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    values = _string_list(_literal_value(node.value))
                except LookupError:
                    continue
                if values:
                    self.assigned[node.targets[0].id] = values
        self.loops: list[dict[str, list[str]]] = []
        self.items: list[dict] = []

    # -- what a name or an expression can hold -------------------------------------------------------
    def values(self, node: ast.AST, whole_list: bool = False) -> list[str]:
        """The strings an argument may be (LookupError if unknown); `whole_list`: a sequence's items."""
        if isinstance(node, ast.Name):
            for frame in reversed(self.loops):
                if node.id in frame:
                    return frame[node.id]
            values = self.assigned.get(node.id)
            if values and (whole_list or len(values) == 1):
                return values
            raise LookupError
        value = _literal_value(node)
        values = _string_list(value) if whole_list else [value] if isinstance(value, str) else None
        if not values:
            raise LookupError
        return values

    def bindings(self, target: ast.AST, iterable: ast.AST) -> dict[str, list[str]]:
        if (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "enumerate"
                and iterable.args and isinstance(target, ast.Tuple) and len(target.elts) == 2):
            iterable, target = iterable.args[0], target.elts[1]
        if not isinstance(target, ast.Name):
            return {}
        try:
            return {target.id: self.values(iterable, whole_list=True)}
        except LookupError:
            return {}

    # -- scopes --------------------------------------------------------------------------------------
    def visit_For(self, node: ast.For) -> None:
        self.visit(node.iter)
        self.loops.append(self.bindings(node.target, node.iter))
        for child in node.body + node.orelse:
            self.visit(child)
        self.loops.pop()

    def _comprehension(self, node, parts: list) -> None:
        for gen in node.generators:
            self.visit(gen.iter)
            self.loops.append(self.bindings(gen.target, gen.iter))
        for part in parts:
            self.visit(part)
        del self.loops[len(self.loops) - len(node.generators):]

    def visit_ListComp(self, node):
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node, [node.key, node.value])

    # -- the calls -----------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in TEX_CLASSES:
            self.items += self.tex_items(name, node)
        elif name in LABEL_HELPERS:
            self.items += self.label_items(name, node)
        self.generic_visit(node)

    def tex_items(self, name: str, call: ast.Call) -> list[dict]:
        """One item per combination of the values the TeX arguments can take (a few at most)."""
        try:
            if not call.args or any(isinstance(a, ast.Starred) for a in call.args):
                return []
            kwargs = {}
            for kw in call.keywords:
                if kw.arg is None or kw.arg == "tex_template":  # **options or a custom template: not ours
                    return []
                if kw.arg in TEX_KWARGS:
                    value = _literal_value(kw.value)
                    kwargs[kw.arg] = {str(k): "#FFFFFF" for k in value} if kw.arg == "tex_to_color_map" else value
            combos: list[list] = [[]]
            for arg in call.args:
                combos = [c + [v] for c in combos for v in self.values(arg)][:MAX_PER_CALL]
            return [{"cls": name, "args": c, "kwargs": kwargs} for c in combos]
        except LookupError:
            return []

    def label_items(self, name: str, call: ast.Call) -> list[dict]:
        items = []
        for index, keyword in LABEL_HELPERS[name]:
            node = next((kw.value for kw in call.keywords if kw.arg == keyword), None)
            if node is None and len(call.args) > index:
                node = call.args[index]
            try:
                labels = self.values(node) if node is not None else [AXIS_LABEL_DEFAULTS[keyword]]
            except (LookupError, KeyError):
                continue
            items += [{"cls": "MathTex", "args": [label], "kwargs": {}} for label in labels if label]
        return items


def collect(code: str) -> list[dict]:
    """The formulas a scene writes literally, each once, in order."""
    try:
        tree = syntax.parse(code)
    except (SyntaxError, ValueError):
        return []
    collector = _Collector(tree)
    collector.visit(tree)
    seen, out = set(), []
    for item in collector.items:
        key = item_key(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def item_key(item: dict) -> str:
    return hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:24]


def _indexed(shared: Path, item: dict) -> bool:
    return bool(_indexed_names(shared, item))


def _indexed_names(shared: Path, item: dict) -> list[str]:
    """The SVG names of an item the shared cache holds whole, else []."""
    try:
        names = json.loads((shared / "index" / f"{item_key(item)}.json").read_text())
    except (OSError, ValueError):
        return []
    if not isinstance(names, list) or not all(isinstance(n, str) and n.isalnum() for n in names):
        return []
    return names if names and all((shared / f"{n}.svg").is_file() for n in names) else []


def mark_used(shared: Path, names: list[str]) -> None:
    """A later job found these cached: they are kept before any formula nobody has used again."""
    used = shared / "used"
    used.mkdir(exist_ok=True)
    recent = time.time() - USED_GRAIN
    for name in names:
        marker = used / name
        try:
            if marker.stat().st_mtime > recent:  # a stat is cheaper than a write on every hit
                continue
        except OSError:
            pass
        try:
            marker.touch()
        except OSError:
            pass


def _write_index(shared: Path, item: dict, names: list[str]) -> None:
    """Jobs run in threads of one process, and often index the same items (the seeds) at once: each writes
    a file of its own and renames it into place. An index is a cache: a write that fails is only a miss."""
    path = shared / "index" / f"{item_key(item)}.json"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        tmp.write_text(json.dumps(names))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


# -- the trusted step ------------------------------------------------------------------------------------

def _tex_step(shared: Path, request: dict, limits: sandbox.Limits = TEX_STEP_LIMITS) -> tuple[Optional[dict], str]:
    """Run the trusted TeX step on {"items": [...], "sources": [...]}: (its answer, or None and why)."""
    argv, isolated = sandbox.tex_step_command(shared)
    try:  # its output is shaped by formulas a scene chose: read bounded
        proc = sandbox.run_bounded(argv, limits, cwd=shared, env=sandbox.child_env("/tmp" if isolated else str(shared)),
                                   preexec=sandbox.rlimits(limits), input=json.dumps(request).encode())
    except OSError as exc:
        return None, f"the TeX step did not start: {exc}"
    answer = next((json.loads(ln[len(MARK):]) for ln in reversed(proc.stdout.decode(errors="replace").splitlines())
                   if ln.startswith(MARK)), None)
    if not answer:
        if proc.returncode == -signal.SIGKILL:
            return None, "the TeX step did not finish (stopped at its time or output bound)"
        return None, proc.stderr.decode(errors="replace")[-500:] or "the TeX step said nothing"
    trim(shared)
    return answer, ""


def precompile(code: str, settings: config.Settings) -> TexStats:
    """Compile the scene's literal formulas that the shared cache lacks (and, once, the characters
    numbers are made of) in the trusted TeX sandbox."""
    return compile_items(collect(code), settings)


def compile_items(items: list[dict], settings: config.Settings,
                  limits: sandbox.Limits = TEX_STEP_LIMITS) -> TexStats:
    start = time.monotonic()
    shared = ensure_dir(settings)
    stats = TexStats(formulas=len(items))
    seeds: list[dict] = []
    new: list[dict] = []
    hits: list[str] = []
    for it in SEED + items:
        names = _indexed_names(shared, it)
        hits += names
        if not names:
            (seeds if it in SEED else new).append(it)
    mark_used(shared, hits)
    stats.cached = len(items) - len(new)
    todo = seeds + new[:MAX_NEW_PER_JOB]  # a flood: the rest compile privately in the scene
    if not todo:
        return stats
    answer, stats.error = _tex_step(shared, {"items": todo}, limits)
    if answer and len(answer.get("items", [])) == len(todo):
        for item, result in zip(todo, answer["items"]):
            if result.get("names"):
                _write_index(shared, item, result["names"])
        stats.compiled = int(answer.get("compiled", 0))
    stats.seconds = time.monotonic() - start
    return stats


def formula_item(formula: str) -> dict:
    """What MathTex(formula) compiles: the anchor stage checks exactly that document."""
    return {"cls": "MathTex", "args": [formula], "kwargs": {}}


def known_to_compile(formulas: list[str], settings: config.Settings) -> set[str]:
    """Formulas the trusted step already compiled as MathTex: no need to run LaTeX to know they do."""
    shared = shared_dir(settings)
    return {f for f in formulas if _indexed(shared, formula_item(f))}


def adopt(sources: list[str], settings: config.Settings, limits: sandbox.Limits = BACKGROUND_LIMITS) -> int:
    """Formulas a job computed at run time and compiled privately: the trusted step compiles them again
    from their TeX source (never taking the job's SVG) into the shared cache, for the jobs that follow
    (a repair round, the same scene at another quality). At most MAX_ADOPTED from one job, within
    `limits`. Returns how many it compiled."""
    sources = [s for s in dict.fromkeys(sources) if isinstance(s, str)][:MAX_ADOPTED]
    if not sources:
        return 0
    answer, _ = _tex_step(ensure_dir(settings), {"sources": sources}, limits)
    return int(answer.get("compiled", 0)) if answer else 0


class Background:
    """Issue 16.8: the one place where formulas reach the shared cache off a job's critical path (run-time
    formulas of a validation, failed or not; a prompt's formulas that compiled). One daemon thread takes
    the requests in order, one trusted step at a time, each within BACKGROUND_LIMITS; at most MAX_PENDING
    wait, and later ones are dropped: many jobs at once cannot start many TeX steps, nor queue
    unbounded work. One per process (the `BACKGROUND` instance) because it is what serializes them."""

    def __init__(self, pending: int = MAX_PENDING):
        self.requests: queue.Queue = queue.Queue(maxsize=pending)
        self.lock = threading.Lock()
        self.thread: Optional[threading.Thread] = None

    def submit(self, settings: config.Settings, *, items: Sequence[dict] = (), sources: Sequence[str] = ()) -> bool:
        """Queue formulas for the shared cache; False if the queue is full (they stay uncached)."""
        items, sources = list(items)[:MAX_NEW_PER_JOB], list(sources)[:MAX_ADOPTED]
        if not items and not sources:
            return True
        try:
            self.requests.put_nowait((settings, items, sources))
        except queue.Full:
            log.info("formula cache: %d background requests waiting; %d formulas left uncached",
                     self.requests.maxsize, len(items) + len(sources))
            return False
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._work, name="formula-cache", daemon=True)
                self.thread.start()
        return True

    def wait(self) -> None:
        """Until every request queued so far is done (tests, benchmarks)."""
        self.requests.join()

    def _work(self) -> None:
        while True:
            settings, items, sources = self.requests.get()
            try:
                if items:
                    compile_items(items, settings, BACKGROUND_LIMITS)
                if sources:
                    adopt(sources, settings, BACKGROUND_LIMITS)
            except Exception:  # a broken request must not stop the ones after it
                log.exception("formula cache: a background request failed")
            finally:
                self.requests.task_done()


BACKGROUND = Background()


def trim(shared: Path, max_files: Optional[int] = None) -> None:
    """Keep the shared cache bounded. Unused formulas go first, oldest first; used ones (found cached by
    a later job) only beyond USED_SHARE of the bound, least recently used first. A job adds at most
    MAX_NEW_PER_JOB, so it can only push out formulas nobody has used again."""
    max_files = max_files or MAX_FILES
    svgs = {f.stem: f for f in shared.glob("*.svg")}
    if len(svgs) > max_files:
        used = {}
        for marker in (shared / "used").glob("*"):
            if marker.name in svgs:
                used[marker.name] = marker.stat().st_mtime
            else:
                marker.unlink(missing_ok=True)
        stale_used = sorted(used, key=used.__getitem__)[:max(0, len(used) - int(max_files * USED_SHARE))]
        unused = sorted((n for n in svgs if n not in used), key=lambda n: svgs[n].stat().st_mtime)
        for name in (stale_used + unused)[:len(svgs) - max_files]:
            svgs[name].unlink(missing_ok=True)
            (shared / "used" / name).unlink(missing_ok=True)
    index = list((shared / "index").glob("*.json"))
    if len(index) > max_files:  # entries naming removed SVGs are misses anyway
        for entry in sorted(index, key=lambda f: f.stat().st_mtime)[:len(index) - max_files]:
            entry.unlink(missing_ok=True)
