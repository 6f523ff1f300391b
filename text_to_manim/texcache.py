"""The shared formula cache: compiled TeX shared by every job, written only by a trusted step.

An entry is Manim's own name for a formula, the hash of the whole TeX document (the formula, its
environment and its template), in a folder per Manim / TeX / dvisvgm version: content-addressed, so an
entry can only ever hold what its TeX source compiles to. Scene sandboxes see the folder read-only and
look there first (sandbox_runner.install_tex_cache); a miss compiles into the job's private cache, which
no other job reads. So a scene can never poison another job's formulas.

The trusted step (`precompile`, before validation) takes the formulas a scene writes literally
(MathTex/Tex/... calls and axis-label helpers whose TeX arguments are string literals, found in the
AST), and compiles those not yet cached in a sandboxed process that runs no scene code, has no network
and runs TeX with `-no-shell-escape` (sandbox_runner's `texbatch` mode). Formulas that cannot change
the state of a TeX document (allow-listed commands, balanced braces) share one latex run, a page each,
and one dvisvgm run; the others compile one document each, so no formula can change how another is
drawn. An index (item -> SVG names) lets a later job skip the step when all its formulas are cached.
Formulas computed at run time (f-strings, DecimalNumber values) still compile privately in the scene.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from . import config, latex, sandbox
from .sandbox_runner import MARK

TEX_CLASSES = ("MathTex", "Tex", "SingleStringMathTex", "Title", "BulletedList")
# TeX-relevant keywords of those classes, kept when literal; others (colour, size) do not change the TeX.
TEX_KWARGS = ("arg_separator", "substrings_to_isolate", "tex_environment", "tex_to_color_map")
# Helpers that make MathTex(label) of a string label: method -> (positional index, keyword) of each label.
LABEL_HELPERS = {"get_x_axis_label": ((0, "label"),), "get_y_axis_label": ((0, "label"),),
                 "get_axis_labels": ((0, "x_label"), (1, "y_label")), "get_graph_label": ((1, "label"),)}
AXIS_LABEL_DEFAULTS = {"x_label": "x", "y_label": "y"}
# What DecimalNumber, Integer and number lines typeset, one MathTex per character.
SEED = [{"cls": "MathTex", "args": [c], "kwargs": {}} for c in "0123456789.-+,"] + [
    {"cls": "SingleStringMathTex", "args": ["\\dots"], "kwargs": {}}]
SAFE_COMMANDS = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho
varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon
Phi Psi Omega frac dfrac tfrac cfrac sqrt sum prod coprod int iint iiint oint bigcup bigcap bigoplus
bigotimes lim limsup liminf inf sup max min log ln lg exp sin cos tan cot sec csc arcsin arccos arctan
sinh cosh tanh coth det dim ker deg gcd lcm Pr arg hom mod bmod pmod left right big Big bigg Bigg bigl
bigr Bigl Bigr biggl biggr middle cdot cdots ldots dots ddots vdots times div pm mp ast star circ bullet
oplus otimes odot wedge vee leq geq neq le ge ne leqslant geqslant approx equiv sim simeq cong propto ll
gg subset supset subseteq supseteq subsetneq in notin ni cup cap setminus emptyset varnothing forall
exists nexists neg lnot land lor implies iff to mapsto gets rightarrow leftarrow Rightarrow Leftarrow
leftrightarrow Leftrightarrow longrightarrow Longrightarrow longleftarrow longleftrightarrow uparrow
downarrow nearrow searrow infty partial nabla hbar ell Re Im aleph prime angle triangle square mathbb
mathbf mathrm mathit mathcal mathfrak mathsf mathtt boldsymbol operatorname text textbf textit textrm
textsf texttt mbox hat bar vec dot ddot tilde widehat widetilde overline underline overbrace underbrace
overrightarrow overleftarrow binom tbinom dbinom displaystyle textstyle scriptstyle quad qquad mid
parallel perp vert Vert lvert rvert lVert rVert langle rangle lfloor rfloor lceil rceil lbrace rbrace
colon top bot models vdash dagger checkmark circledast dotsc dotsb dotsm intercal degree
""".split())
SAFE_SYMBOLS = frozenset(",;!:{}%$&#_ |\\")
TEX_STEP_LIMITS = sandbox.Limits(wall_seconds=120, cpu_seconds=240)


@dataclass
class TexStats:
    """What the trusted step did for one job."""

    formulas: int = 0  # literal formulas found in the scene
    cached: int = 0  # already in the shared cache
    compiled: int = 0  # compiled now by the trusted step
    seconds: float = 0.0
    error: str = ""


@lru_cache(maxsize=1)
def version_key() -> str:
    """Entries are valid for one Manim, one TeX and one dvisvgm: a folder per combination."""
    parts = [f"manim {metadata.version('manim')}"]
    for tool in ("latex", "dvisvgm"):
        try:
            out = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=10).stdout
            parts.append(out.splitlines()[0] if out else tool)
        except (OSError, subprocess.TimeoutExpired):
            parts.append(f"no {tool}")
    return f"manim-{metadata.version('manim')}-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def shared_dir(settings: config.Settings) -> Path:
    return settings.media_dir / "cache" / "tex" / version_key()


def ensure_dir(settings: config.Settings) -> Path:
    path = shared_dir(settings)
    (path / "index").mkdir(parents=True, exist_ok=True)
    return path


# -- finding the formulas a scene writes literally ---------------------------------------------------

def _literal(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise LookupError from None


def _strings(node: ast.AST) -> list[str]:
    value = _literal(node)
    if isinstance(value, str):
        return [value]
    raise LookupError


def _tex_item(name: str, call: ast.Call) -> Optional[dict]:
    """{"cls", "args", "kwargs"} for a TeX class call whose TeX is all literal, else None."""
    try:
        args = [s for a in call.args for s in _strings(a)] if not any(
            isinstance(a, ast.Starred) for a in call.args) else None
        if args is None or not args:
            return None
        kwargs = {}
        for kw in call.keywords:
            if kw.arg is None or kw.arg == "tex_template":  # **options or a custom template: not ours
                return None
            if kw.arg in TEX_KWARGS:
                value = _literal(kw.value)
                kwargs[kw.arg] = ({str(k): "#FFFFFF" for k in value} if kw.arg == "tex_to_color_map" else value)
        return {"cls": name, "args": args, "kwargs": kwargs}
    except LookupError:
        return None


def _label_items(name: str, call: ast.Call) -> list[dict]:
    items = []
    for index, keyword in LABEL_HELPERS[name]:
        node = next((kw.value for kw in call.keywords if kw.arg == keyword), None)
        if node is None and len(call.args) > index:
            node = call.args[index]
        try:
            label = _literal(node) if node is not None else AXIS_LABEL_DEFAULTS.get(keyword)
        except LookupError:
            continue
        if isinstance(label, str) and label:
            items.append({"cls": "MathTex", "args": [label], "kwargs": {}})
    return items


def collect(code: str) -> list[dict]:
    """The formulas a scene writes literally, each once, in order."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    items: list[dict] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in TEX_CLASSES:
            item = _tex_item(name, node)
            items += [item] if item else []
        elif name in LABEL_HELPERS:
            items += _label_items(name, node)
    seen, out = set(), []
    for item in items:
        key = item_key(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def batchable(item: dict) -> bool:
    """True if the item's TeX can only typeset: allow-listed commands, balanced braces, no math shifts,
    parameters, comments or ^^ escapes. Such formulas may share one latex run."""
    texts = list(item["args"]) + [str(s) for s in item["kwargs"].get("substrings_to_isolate", [])] + list(
        item["kwargs"].get("tex_to_color_map", {}))
    for text in texts:
        if "^^" in text or re.search(r"(?<!\\)[$#%]", text) or latex.brace_problem(text):
            return False
        for cmd in re.findall(r"\\([A-Za-z]+|.)", text):
            if cmd not in SAFE_COMMANDS and cmd not in SAFE_SYMBOLS:
                return False
    return True


def item_key(item: dict) -> str:
    return hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:24]


def _indexed(shared: Path, item: dict) -> bool:
    try:
        names = json.loads((shared / "index" / f"{item_key(item)}.json").read_text())
    except (OSError, ValueError):
        return False
    return all((shared / f"{n}.svg").is_file() for n in names)


def _write_index(shared: Path, item: dict, names: list[str]) -> None:
    path = shared / "index" / f"{item_key(item)}.json"
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(names))
    os.replace(tmp, path)


# -- the trusted step ------------------------------------------------------------------------------------

def precompile(code: str, settings: config.Settings) -> TexStats:
    """Compile the scene's literal formulas that the shared cache lacks (and, once, the characters
    numbers are made of) in the trusted TeX sandbox."""
    import time

    start = time.monotonic()
    shared = ensure_dir(settings)
    items = collect(code)
    stats = TexStats(formulas=len(items))
    todo = [it for it in SEED + items if not _indexed(shared, it)]
    stats.cached = len(items) - sum(1 for it in todo if it in items)
    if not todo:
        return stats
    argv, isolated = sandbox.tex_step_command(shared)
    request = {"items": [{**it, "batch": batchable(it)} for it in todo]}
    try:
        proc = subprocess.run(argv, input=json.dumps(request).encode(), capture_output=True, cwd=str(shared),
                              env=sandbox.child_env("/tmp" if isolated else str(shared)),
                              timeout=TEX_STEP_LIMITS.wall_seconds, start_new_session=True,
                              preexec_fn=sandbox.rlimits(TEX_STEP_LIMITS))
    except (OSError, subprocess.TimeoutExpired) as exc:
        stats.error = f"the TeX step did not finish: {exc}"
        return stats
    answer = next((json.loads(ln[len(MARK):]) for ln in reversed(proc.stdout.decode(errors="replace").splitlines())
                   if ln.startswith(MARK)), None)
    if not answer or len(answer.get("items", [])) != len(todo):
        stats.error = proc.stderr.decode(errors="replace")[-500:] or "the TeX step said nothing"
        return stats
    for item, result in zip(todo, answer["items"]):
        if result.get("names"):
            _write_index(shared, item, result["names"])
    stats.compiled = int(answer.get("compiled", 0))
    stats.seconds = time.monotonic() - start
    return stats
