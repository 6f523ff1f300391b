"""LaTeX in Tex/MathTex calls that would not compile, fixed before any render (issue 8, family 6).

- a `Tex` holding bare math (`Tex(r"\\frac{a}{b}")`, manimgl's math-mode Tex) becomes `MathTex`, prose in it
  wrapped in `\\text{}`; a `MathTex` holding only prose becomes `Tex`;
- commands from packages Manim's template does not load (`\\cancel`, `\\bm`, `\\mathscr`, `\\SI`,
  physics' `\\dv` …) get a TexTemplate with the package, or, when the package is not installed here, a
  small definition of the command;
- `align`/`equation` environments inside MathTex (already an `align*`) are unwrapped;
- math commands inside `\\text{…}` are moved out of it, into math (`\\text{for all \\alpha}`);
- emoji and pictographs, which no TeX font has, are removed.
Strings are read with the AST: only constant string arguments are changed.
"""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
from functools import lru_cache
from typing import Optional

from text_to_manim.events import Fix
from text_to_manim.fixes.edits import Edit, Starts, rewrite, span, src
from text_to_manim.tex.source import string_literal

TEX_CALLS = {"Tex", "MathTex", "SingleStringMathTex", "Title", "BulletedList"}
TEMPLATE_NAME = "T2M_TEX_TEMPLATE"
# command -> (package, fallback definitions when the package is not installed)
PACKAGES = {
    "cancel": ("cancel", r"\providecommand{\cancel}[1]{#1}"),
    "bcancel": ("cancel", r"\providecommand{\bcancel}[1]{#1}"),
    "xcancel": ("cancel", r"\providecommand{\xcancel}[1]{#1}"),
    "cancelto": ("cancel", r"\providecommand{\cancelto}[2]{#2}"),
    "bm": ("bm", r"\providecommand{\bm}[1]{\boldsymbol{#1}}"),
    "mathscr": ("mathrsfs", r"\providecommand{\mathscr}[1]{\mathcal{#1}}"),
    "coloneqq": ("mathtools", r"\providecommand{\coloneqq}{\mathrel{:}=}"),
    "eqqcolon": ("mathtools", r"\providecommand{\eqqcolon}{=\mathrel{:}}"),
    "oiint": ("esint", r"\providecommand{\oiint}{\oint\!\!\oint}"),
    "degree": ("gensymb", r"\providecommand{\degree}{^\circ}"),
    "celsius": ("gensymb", r"\providecommand{\celsius}{^\circ\mathrm{C}}"),
    "textcolor": ("xcolor", ""), "colorbox": ("xcolor", ""), "color": ("xcolor", ""),
    # shorthands from course notes, defined by no package
    **{c: ("", rf"\providecommand{{\{c}}}{{\mathbb{{{c}}}}}") for c in ("R", "N", "Z", "Q", "C")},
    **{op: ("", rf"\providecommand{{\{op}}}{{\operatorname*{{{text}}}}}") for op, text in (
        ("argmin", r"arg\,min"), ("argmax", r"arg\,max"))},
    **{op: ("", rf"\providecommand{{\{op}}}{{\operatorname{{{op}}}}}") for op in (
        "sgn", "tr", "Tr", "diag", "rank", "Var", "Cov", "softmax", "ReLU")},
    "mathds": ("dsfont", r"\providecommand{\mathds}[1]{\mathbb{#1}}"),
    "mathbbm": ("bbm", r"\providecommand{\mathbbm}[1]{\mathbb{#1}}"),
    "ce": ("mhchem", r"\providecommand{\ce}[1]{\mathrm{#1}}"),
    "SI": ("siunitx", r"\providecommand{\SI}[2]{#1\,\mathrm{#2}}"),
    "si": ("siunitx", r"\providecommand{\si}[1]{\mathrm{#1}}"),
    "num": ("siunitx", r"\providecommand{\num}[1]{#1}"),
    "dv": ("physics", r"\providecommand{\dv}[2]{\frac{d #1}{d #2}}"),
    "pdv": ("physics", r"\providecommand{\pdv}[2]{\frac{\partial #1}{\partial #2}}"),
    "abs": ("physics", r"\providecommand{\abs}[1]{\left|#1\right|}"),
    "norm": ("physics", r"\providecommand{\norm}[1]{\left\lVert#1\right\rVert}"),
    "expval": ("physics", r"\providecommand{\expval}[1]{\left\langle#1\right\rangle}"),
    "vb": ("physics", r"\providecommand{\vb}[1]{\mathbf{#1}}"),
    "vu": ("physics", r"\providecommand{\vu}[1]{\hat{\mathbf{#1}}}"),
    "grad": ("physics", r"\providecommand{\grad}{\nabla}"),
    "curl": ("physics", r"\providecommand{\curl}{\nabla\times}"),
    "dd": ("physics", r"\providecommand{\dd}{\mathrm{d}}"),
    "bra": ("physics", r"\providecommand{\bra}[1]{\left\langle#1\right|}"),
    "ket": ("physics", r"\providecommand{\ket}[1]{\left|#1\right\rangle}"),
    "braket": ("physics", r"\providecommand{\braket}[2]{\left\langle#1\middle|#2\right\rangle}"),
    "qty": ("physics", ""), "mel": ("physics", ""), "comm": ("physics", ""), "eval": ("physics", ""),
    "unit": ("siunitx", r"\providecommand{\unit}[1]{\mathrm{#1}}"),
}
MATH_ONLY = set("""frac dfrac tfrac sqrt sum int iint oint prod lim infty partial nabla cdot cdots ldots times div pm
mp leq geq neq le ge ne approx equiv sim propto in notin subset subseteq cup cap forall exists to mapsto rightarrow
leftarrow Rightarrow Leftrightarrow implies iff alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta
iota kappa lambda mu nu xi pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma
Phi Psi Omega mathbb mathbf mathcal mathrm mathit boldsymbol vec hat bar tilde dot ddot overline left right binom
langle rangle log ln sin cos tan exp det max min sup inf arg lfloor rfloor lceil rceil displaystyle hbar ell circ
otimes oplus perp parallel angle dagger matrix pmatrix bmatrix cases""".split())
ENVIRONMENTS_RE = re.compile(r"\\(begin|end)\{(align|align\*|equation|equation\*|gather|gather\*|displaymath|"
                             r"math|multline|multline\*)\}")
# No TeX font has these: emoji, pictographs, dingbats beyond the few MATH_UNICODE maps.
PICTOGRAPH_RE = re.compile("[\U0001F000-\U0001FAFF\u2600-\u26FF\u2700-\u27BF\uFE0F\u200D]")
PROSE_RUN_RE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}(?:[ ,.:;!?'-]+[A-Za-z]{2,})*")


@lru_cache(maxsize=64)
def installed(package: str) -> bool:
    """Whether TeX finds `package`.sty here (the sandbox sees the same TeX tree)."""
    kpse = shutil.which("kpsewhich")
    if not kpse or not package:
        return False
    try:
        out = subprocess.run([kpse, f"{package}.sty"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.stdout.strip())


def _strings(call: ast.Call) -> list[ast.Constant]:
    return [a for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def _commands(text: str) -> set[str]:
    return set(re.findall(r"\\([A-Za-z]+)", text))


def _is_math(text: str) -> bool:
    return bool(_commands(text) & MATH_ONLY) or bool(re.search(r"[\^_]", re.sub(r"\\[A-Za-z]+", "", text)))


def _rewritten(node: ast.Constant, code: str, value: str) -> str:
    """`value` as a literal in the quotes the string `node` was written in."""
    old = src(code, node).lstrip("rRuUbBfF")
    return string_literal(value, old[:3] if old[:3] in ('"""', "'''") else old[0])


def _groups(text: str, opener: str, inside=lambda t: t, outside=lambda t: t) -> str:
    """Rewrite a TeX string group by group: `inside` gets the content of each brace group that `opener`
    (a regex ending in an opening brace) starts, `outside` the text between those groups."""
    out, free = [], 0
    for m in re.finditer(opener, text):
        if m.start() < free:
            continue  # nested in a group already handled
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        out.append(outside(text[free:m.start()]) + text[m.start():m.end()] + inside(text[m.end():j - 1])
                   + text[j - 1:j])
        free = j
    out.append(outside(text[free:]))
    return "".join(out)


def _wrap_prose(text: str) -> str:
    """Prose words in a formula -> \\text{…} (upright, with spaces); math, and the arguments of commands
    (\\text{…}, \\mathrm{…}, \\operatorname{…}), left as they are."""
    return _groups(text, r"\\[A-Za-z]+\s*\{",
                   outside=lambda t: PROSE_RUN_RE.sub(lambda w: r"\text{" + w.group(0) + "}", t))


def _text_math(text: str) -> str:
    """Math commands inside \\text{…} put back in math: \\text{for all \\alpha} -> \\text{for all }\\alpha\\text{}.
    The \\text closes around the command and reopens after it: `$…$` would be stripped in MathTex."""
    def fix(inner: str) -> str:
        return inner if "$" in inner else re.sub(
            r"\\([A-Za-z]+)", lambda c: "}" + c.group(0) + "\\text{" if c.group(1) in MATH_ONLY else c.group(0), inner)

    return _in_text_groups(text, fix)


# Text mode ends lines only where there is one: a `\\` first in the text (or first in a centred block) or right
# after another `\\` is "There's no line here to end".
LEADING_BREAK_RE = re.compile(r"^(\s*(?:\\begin\{(?:center|flushleft|flushright)\}\s*)?)(?:\\\\\s*)+")
EMPTY_LINE_RE = re.compile(r"\\\\(\s*)(?=\\\\)")


def _text_line_breaks(text: str, first: bool) -> str:
    if first:
        text = LEADING_BREAK_RE.sub(r"\1", text)
    return EMPTY_LINE_RE.sub(lambda m: "\\\\" + m.group(1) + "\\mbox{}", text)


SPECIAL_RE = re.compile(r"(?<!\\)([%#])")


def _escape_specials(text: str, math: bool) -> str:
    """TeX's special characters written as text: `95%` comments out the rest of the formula, `_` in
    \\text{} or in a Tex outside $…$ is a subscript outside math, `&` in a Tex is an alignment tab."""
    text = SPECIAL_RE.sub(r"\\\1", text)
    if math:
        return _in_text_groups(text, lambda inner: re.sub(r"(?<!\\)_", r"\\_", inner))
    parts = re.split(r"(?<!\\)(\$[^$]*\$)", text)  # keep $…$ math as it is
    amp = "\\begin{" not in text
    return "".join(p if p.startswith("$") else re.sub(r"(?<!\\)_", r"\\_", re.sub(r"(?<!\\)&", r"\\&", p) if amp else p)
                   for p in parts)


def _in_text_groups(text: str, change) -> str:
    """Apply `change` to the content of every \\text{…} group."""
    return _groups(text, r"\\text\{", inside=change)


def _preamble(commands: set[str]) -> tuple[list[str], list[str]]:
    """(preamble lines, what they provide) for the package commands used."""
    lines, names = [], []
    for cmd in sorted(commands):
        pkg, fallback = PACKAGES[cmd]
        line = rf"\usepackage{{{pkg}}}" if installed(pkg) else fallback
        if line and line not in lines:
            lines.append(line)
            names.append(f"\\{cmd} ({pkg})" if line.startswith(r"\usepackage") else f"\\{cmd} (defined" + (
                f": {pkg} is not installed)" if pkg else ")"))
    # siunitx declares \qty unless it exists already; physics then redefines it: siunitx goes first
    lines.sort(key=lambda ln: ln != r"\usepackage{siunitx}")
    return lines, names


def _tex_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    edits: list[Edit] = []
    needed: set[str] = set()
    first_use: Optional[int] = None
    has_template = any(isinstance(n, ast.Name) and n.id == TEMPLATE_NAME for n in ast.walk(tree))
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in TEX_CALLS):
            continue
        name = call.func.id
        first_edit = len(edits)
        strings = _strings(call)
        if not strings:
            continue
        joined = " ".join(s.value for s in strings)
        all_const = len(strings) == len(call.args)
        new_name = name
        if name == "Tex" and all_const and "$" not in joined and _is_math(joined) and not ENVIRONMENTS_RE.search(joined):
            new_name = "MathTex"
        elif name == "MathTex" and all_const and not _is_math(joined) and not re.search(r"[=+<>\\{}]", joined) \
                and len(re.findall(r"[A-Za-z]{3,}", joined)) >= 3:
            new_name = "Tex"
        changed = []
        for s in strings:
            value = s.value
            if new_name == "MathTex" and name == "Tex":
                value = _wrap_prose(value)
            if new_name == "MathTex" or name in ("MathTex", "SingleStringMathTex"):
                value = ENVIRONMENTS_RE.sub("", value).strip()
            value = _text_math(value)
            if new_name == "Tex":
                broken = _text_line_breaks(value, first=s is strings[0])
                if broken != value:
                    changed.append("a line break with no line to end (first in the text, or a second one in a "
                                   "row) removed or given an empty line")
                    value = broken
            escaped = _escape_specials(value, math=new_name != "Tex")
            if escaped != value:
                changed.append("escaped TeX special characters (% # _ &) written as text")
                value = escaped
            if PICTOGRAPH_RE.search(value):
                value = PICTOGRAPH_RE.sub("", value)
                changed.append("removed emoji/pictographs (no TeX font has them)")
            if value != s.value:
                if ENVIRONMENTS_RE.search(s.value) and new_name != "Tex":
                    changed.append("unwrapped an align/equation environment (MathTex is already align*)")
                if "\\text{" in s.value and _text_math(s.value) != s.value:
                    changed.append("math commands inside \\text{} moved out of it")
                a, b = span(starts, s)
                edits.append(Edit(a, b, _rewritten(s, code, value)))
        what = []
        if new_name != name:
            a, b = span(starts, call.func)
            edits.append(Edit(a, b, new_name))
            what.append(f"{name} -> {new_name} (" + ("the string is a formula: Tex is text mode, where it "
                                                     "cannot compile" if new_name == "MathTex" else
                                                     "the string is prose: MathTex would set it as math, "
                                                     "without spaces") + ")")
        uses = _commands(joined) & set(PACKAGES) if not any(k.arg == "tex_template" for k in call.keywords) else set()
        if uses:
            needed |= uses
            first_use = first_use or call.lineno
            last = max(list(call.args) + [k.value for k in call.keywords], key=lambda n: (n.end_lineno, n.end_col_offset))
            end = span(starts, last)[1]  # after the last argument (a trailing comma may follow it)
            edits.append(Edit(end, end, f", tex_template={TEMPLATE_NAME}"))
        what += list(dict.fromkeys(changed))
        if uses:
            what.append(f"uses {TEMPLATE_NAME} for " + ", ".join(sorted("\\" + u for u in uses)))
        if what:
            edits[first_edit].what = f"{name}(...): " + "; ".join(what)
    if needed and not has_template:
        lines, names = _preamble(needed)
        pos = _after_imports(code, tree, starts)
        block = (f"{TEMPLATE_NAME} = TexTemplate()  # packages the formulas below need\n" +
                 "".join(f"{TEMPLATE_NAME}.add_to_preamble(r\"{ln}\")\n" for ln in lines))
        edits.append(Edit(pos, pos, block, "added a TexTemplate for " + ", ".join(names)))
    return edits


def fix_tex(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _tex_edits)


def _after_imports(code: str, tree: ast.Module, starts: list[int]) -> int:
    line = 0
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            line = stmt.end_lineno
        elif line:
            break
    return starts[line] if line < len(starts) else len(code)
