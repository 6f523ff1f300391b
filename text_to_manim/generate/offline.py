"""The offline provider: no model, no network, no key. It never pretends to be a model.

It answers a prompt in one of three honest ways:
- a gallery scene, matched by TF-IDF (scikit-learn) over the registry's titles, summaries and keywords,
  with parameters named in the prompt applied where the scene takes them ("k-means with 4 clusters");
- a formula template, when the prompt carries LaTeX and no gallery scene matches: a generated scene that
  writes the formula, explains its parts and, when it is a function of one variable that we can read
  with certainty, plots it;
- no match: the closest gallery scenes, and what to do instead (ok=False).

`plan(prompt)` decides; `stream(plan)` yields the reasoning (what was matched and why), then the answer
text in the same response format a model uses (`prompts.py`), so the pipeline treats both alike.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from text_to_manim import gallery
from text_to_manim.tex import latex
from text_to_manim.events import ReasoningDelta
from text_to_manim.generate.prompts import CODE_HEADING, NOTES_HEADING
from text_to_manim.generate.providers import TextDelta

MATCH_THRESHOLD = 0.12  # below this cosine similarity nothing in the gallery is about the prompt
CHUNK = 24  # characters per streamed delta
NO_MODEL = "No model is used."


@dataclass
class Match:
    entry: gallery.Entry
    score: float
    terms: list  # keywords of the entry found in the prompt


@dataclass
class Plan:
    kind: str  # "gallery" | "formula" | "none"
    reasoning: str
    ok: bool = True
    message: str = ""
    entry: Optional[gallery.Entry] = None
    params: dict = field(default_factory=dict)
    code: str = ""
    scene: Optional[str] = None
    notes_md: str = ""
    notes_md_path: Optional[Path] = None
    notes_tex_path: Optional[Path] = None
    matches: list = field(default_factory=list)  # list[Match], best first
    formulas: list = field(default_factory=list)

    def answer(self) -> str:
        """The plan in the model response format."""
        if not self.code:
            return ""
        text = f"{CODE_HEADING}\n```python\n{self.code.rstrip()}\n```\n"
        if self.notes_md:
            text += f"{NOTES_HEADING}\n{self.notes_md.strip()}\n"
        return text


# ---------------------------------------------------------------------------------------------- matching
def _norm(text: str) -> str:
    t = text.lower().replace("–", "-").replace("—", "-")
    # "k-means" also as "kmeans" and "k means"; "gale-shapley" likewise
    t = re.sub(r"\b(\w+)-(\w+)\b", lambda m: f"{m.group(1)}{m.group(2)} {m.group(1)} {m.group(2)}", t)
    return t


def _stem(w: str) -> str:
    if len(w) > 7 and w.endswith("ional"):  # convolutional -> convolution
        return w[:-2]
    for suf in ("ings", "ing", "ies", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


STOP = set("""a an the of and or to in on for with by about me us please explain show animate visualize visualise
how what why is are be it its this that these those using use make create draw give illustrate demonstrate
video animation scene intro introduction simple basic from into as at i we you can could would""".split())


def _tokens(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", _norm(text)) if w not in STOP]


def _analyzer(text: str) -> list[str]:
    toks = _tokens(text)
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


def _doc(e: gallery.Entry) -> str:
    # keywords count thrice: they are what the gallery's authors say the scene is about
    return " ".join([e.title, e.title, e.summary, e.slug.replace("_", " ")] + list(e.keywords) * 3)


@lru_cache(maxsize=4)
def _index(key: tuple):
    from sklearn.feature_extraction.text import TfidfVectorizer

    entries = [e for e in gallery.entries() if (e.slug, e.title) in key] if key else []
    vec = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
    matrix = vec.fit_transform([_doc(e) for e in entries]) if entries else None
    return entries, vec, matrix


def match(prompt: str, entries: Optional[list] = None) -> list[Match]:
    """Gallery entries ranked by TF-IDF cosine similarity to the prompt (best first)."""
    if entries is None:
        entries = gallery.entries()
        key = tuple((e.slug, e.title) for e in entries)
        entries, vec, matrix = _index(key)
    else:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
        matrix = vec.fit_transform([_doc(e) for e in entries]) if entries else None
    if not entries or matrix is None:
        return []
    q = vec.transform([prompt])
    scores = (matrix @ q.T).toarray().ravel()
    qtok = set(_tokens(prompt))
    qnorm = " ".join(_tokens(prompt))
    out = []
    for e, s in zip(entries, scores):
        terms = []
        for kw in e.keywords:
            kt = _tokens(kw)
            if kt and (" ".join(kt) in qnorm or all(t in qtok for t in kt)):
                terms.append(kw)
        out.append(Match(e, float(s), terms))
    out.sort(key=lambda m: (-m.score, m.entry.order))
    return out


# ---------------------------------------------------------------------------------------------- params
NUM = r"(-?\d+(?:\.\d+)?)"


def extract_params(prompt: str, entry: gallery.Entry) -> tuple[dict, list[str]]:
    """Parameters named in the prompt that the scene takes; (values, notes on what was read/refused)."""
    text = _norm(prompt)
    values, notes = {}, []
    for p in entry.params:
        if p.type == "str":
            m = re.search(rf"\b{re.escape(p.name.lower())}\s*[=:]\s*([\w-]+)", text)
            found = [(m.group(1), f"{p.name}={m.group(1)}")] if m else []
        else:
            found = []
            names = [p.name.lower(), p.name.lower().replace("_", " ")] + [a.lower() for a in p.aliases]
            for alias in sorted(set(names), key=len, reverse=True):
                a = re.escape(alias)
                if len(alias) <= 2:  # "k", "n", "mu": only in an explicit assignment ("K=4", "k: 4")
                    pats = [rf"(?<![\w-]){a}\s*(?:=|:)\s*{NUM}"]
                else:
                    pats = [rf"(?<![\w.]){NUM}\s+(?:[a-z]+\s+)?{a}\b",
                            rf"\b{a}\s*(?:=|:|of|is|to|equal to|equals|set to|at)?\s*{NUM}(?![\w.])"]
                for pat in pats:
                    m = re.search(pat, text)
                    if m:
                        found.append((m.group(1), m.group(0).strip()))
                        break
                if found:
                    break
        if not found:
            continue
        raw, phrase = found[0]
        try:
            values[p.name] = p.coerce(raw)
            notes.append(f"parameter {p.name}={values[p.name]} from '{phrase}'")
        except (ValueError, TypeError) as exc:
            notes.append(f"'{phrase}' asks for {p.name}={raw}, which the scene cannot take ({exc}); "
                         f"keeping the default {p.name}={p.default}")
    return values, notes


# --------------------------------------------------------------------------------- LaTeX -> numpy (strict)
class _Unsure(Exception):
    pass


FUNCS = {r"\sin": "np.sin", r"\cos": "np.cos", r"\tan": "np.tan", r"\exp": "np.exp", r"\ln": "np.log",
         r"\log": "np.log", r"\sinh": "np.sinh", r"\cosh": "np.cosh", r"\tanh": "np.tanh",
         r"\arctan": "np.arctan", r"\arcsin": "np.arcsin", r"\arccos": "np.arccos", r"\sec": "1/np.cos",
         r"\csc": "1/np.sin", r"\cot": "1/np.tan"}
IGNORED = {r"\,", r"\;", r"\!", r"\:", r"\quad", r"\qquad", r"\displaystyle", r"\left", r"\right", "\\ "}
TOKEN_RE = re.compile(r"\\[A-Za-z]+|\\[,;!: ]|\d+(?:\.\d+)?|[A-Za-z]|[-+*/^_()\[\]{}|=]|\S")


def _wrap(src: str) -> str:
    """Parenthesise unless the source is a name, a number or already one call/parenthesis."""
    if re.fullmatch(r"[\w.]+", src):
        return src
    if src.startswith("(") and src.endswith(")"):
        depth = 0
        for i, c in enumerate(src):
            depth += {"(": 1, ")": -1}.get(c, 0)
            if depth == 0 and i < len(src) - 1:
                break
        else:
            return src
    if re.fullmatch(r"np\.\w+\(.*\)", src) and _wrap("(" + src.split("(", 1)[1]) == "(" + src.split("(", 1)[1]:
        return src
    return f"({src})"


class _Parser:
    """A recursive-descent reader for a small, unambiguous subset of LaTeX; anything else is _Unsure."""

    def __init__(self, tex: str):
        self.toks = [t for t in TOKEN_RE.findall(tex) if t not in IGNORED]
        self.i = 0
        self.vars: set[str] = set()

    def peek(self, k: int = 0) -> Optional[str]:
        return self.toks[self.i + k] if self.i + k < len(self.toks) else None

    def take(self, want: Optional[str] = None) -> str:
        t = self.peek()
        if t is None or (want is not None and t != want):
            raise _Unsure(f"expected {want!r}, got {t!r}")
        self.i += 1
        return t

    def parse(self) -> str:
        out = self.expr()
        if self.peek() is not None:
            raise _Unsure(f"unexpected {self.peek()!r}")
        return out

    def expr(self) -> str:
        out = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            out = f"{out} {op} {self.term()}"
        return out

    def starts_factor(self, t: Optional[str]) -> bool:
        return t is not None and (t[0].isdigit() or t.isalpha() or t in ("(", "{", r"\pi", r"\frac",
                                                                          r"\sqrt", r"\cdot") or t in FUNCS)

    def term(self) -> str:
        out = self.unary()
        while True:
            t = self.peek()
            if t in ("*", r"\cdot", r"\times"):
                self.take()
                out = f"{out} * {self.unary()}"
            elif t == "/":
                self.take()
                out = f"{out} / {self.unary()}"
            elif self.starts_factor(t) and t != r"\cdot":
                out = f"{out} * {self.power()}"  # implicit multiplication: 2x, x \sin x
            else:
                return out

    def unary(self) -> str:
        if self.peek() == "-":
            self.take()
            return f"-{self.unary()}"
        if self.peek() == "+":
            self.take()
            return self.unary()
        return self.power()

    def power(self) -> str:
        base = self.atom()
        if self.peek() == "^":
            self.take()
            exp = self.group_or_atom()
            return f"{_wrap(base)}**{_wrap(exp)}"
        return base

    def group_or_atom(self) -> str:
        if self.peek() == "{":
            self.take("{")
            inner = self.expr()
            self.take("}")
            return inner
        t = self.take()
        if t[0].isdigit():
            return t[0] if len(t) > 1 and "." not in t else t  # x^23 is x^2 3 in TeX; keep it strict
        if t.isalpha() and len(t) == 1:
            self.vars.add(t) if t != "e" else None
            return "np.e" if t == "e" else t
        if t == r"\pi":
            return "np.pi"
        raise _Unsure(f"exponent {t!r}")

    def atom(self) -> str:
        t = self.take()
        if t[0].isdigit():
            return t
        if t == r"\pi":
            return "np.pi"
        if len(t) == 1 and t.isalpha():
            if t == "e" and self.peek() == "^":
                return "np.e"
            self.vars.add(t)
            return t
        if t in ("(", "["):
            inner = self.expr()
            self.take(")" if t == "(" else "]")
            return f"({inner})"
        if t == "{":
            inner = self.expr()
            self.take("}")
            return f"({inner})"
        if t == "|":
            inner = self.expr()
            self.take("|")
            return f"np.abs({inner})"
        if t == r"\frac":
            num = self.braced()
            den = self.braced()
            return f"({_wrap(num)} / {_wrap(den)})"
        if t == r"\sqrt":
            if self.peek() == "[":
                raise _Unsure("n-th roots")
            return f"np.sqrt({self.braced()})"
        if t in FUNCS:
            power = None
            if self.peek() == "^":  # \sin^2 x
                self.take()
                power = self.group_or_atom()
                if power == "-1":
                    raise _Unsure("inverse function notation")
            if self.peek() in ("(", "{", "["):
                arg = self.atom()
            else:
                arg = self.power()
                while (nxt := self.peek()) is not None and (nxt[0].isdigit() or (nxt.isalpha() and len(nxt) == 1)):
                    arg = f"{arg} * {self.power()}"
            f = FUNCS[t]
            call = f"({f}({arg}))" if f.startswith("1/") else f"{f}({arg})"
            return f"{call}**{_wrap(power)}" if power else call
        raise _Unsure(f"{t!r} is not something the offline reader understands")

    def braced(self) -> str:
        if self.peek() == "{":
            self.take("{")
            inner = self.expr()
            self.take("}")
            return inner
        return self.atom()


RELATIONS = [r"\leq", r"\geq", r"\neq", r"\approx", r"\equiv", r"\le", r"\ge", "=", "<", ">"]


def split_top(formula: str) -> list[str]:
    """Split at top-level relation symbols; keeps the relations as their own parts (for MathTex)."""
    parts, depth, cur, i = [], 0, "", 0
    while i < len(formula):
        c = formula[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if depth == 0:
            rel = next((r for r in RELATIONS if formula.startswith(r, i) and not (
                r[0] == "\\" and formula[i + len(r):i + len(r) + 1].isalpha())), None)
            if rel and not formula[:i].rstrip().endswith("\\left") and not formula[:i].endswith("\\"):
                parts.append(cur.strip())
                parts.append(rel)
                cur = ""
                i += len(rel)
                continue
        cur += c
        i += 1
    parts.append(cur.strip())
    return [p for p in parts if p]


@dataclass
class FunctionOf:
    name: str  # "f(x)", "y" or "" (a bare expression)
    var: str
    expr: str  # numpy source in `var`
    x_range: tuple
    y_range: tuple


def read_function(formula: str) -> Optional[FunctionOf]:
    """f(x) = …, y = … or a bare expression in exactly one variable, read with certainty; else None."""
    parts = split_top(formula)
    lhs, rhs = "", formula
    if len(parts) == 3 and parts[1] == "=":
        lhs, rhs = parts[0], parts[2]
        m = re.fullmatch(r"([A-Za-z])\s*\(\s*([A-Za-z])\s*\)|([A-Za-z])", lhs.replace(" ", ""))
        if not m:
            return None
    elif len(parts) != 1:
        return None
    try:
        p = _Parser(rhs)
        expr = p.parse()
    except (_Unsure, RecursionError):
        return None
    vars_ = p.vars
    if lhs:
        m = re.fullmatch(r"([A-Za-z])\s*\(\s*([A-Za-z])\s*\)", lhs.replace(" ", ""))
        if m:
            if vars_ - {m.group(2)}:
                return None
            var = m.group(2)
        else:
            if len(vars_) != 1 or lhs in vars_:
                return None
            var = next(iter(vars_))
    else:
        if len(vars_) != 1:
            return None
        var = next(iter(vars_))
    if not vars_:
        return None
    ranges = _plot_ranges(expr, var)
    if not ranges:
        return None
    return FunctionOf(lhs, var, expr, *ranges)


def _plot_ranges(expr: str, var: str) -> Optional[tuple]:
    import numpy as np

    try:
        fn = eval(f"lambda {var}: {expr}", {"np": np, "__builtins__": {}})  # our own strict output only
    except SyntaxError:
        return None
    for lo, hi in ((-5, 5), (-3, 3), (0.05, 5), (-2, 2), (0.05, 3), (-1, 1), (0.05, 1)):
        xs = np.linspace(lo, hi, 801)
        with np.errstate(all="ignore"):
            try:
                ys = np.asarray(fn(xs), dtype=float) * np.ones_like(xs)
            except Exception:
                return None
        if not np.all(np.isfinite(ys)):
            continue
        span = float(ys.max() - ys.min())
        if span > 60:
            continue
        if span > 1e-9 and float(np.abs(np.diff(ys)).max()) > 0.25 * span:
            continue  # a jump: a pole inside the range
        y_lo, y_hi = float(ys.min()), float(ys.max())
        if span < 1e-9:
            y_lo, y_hi = y_lo - 1, y_hi + 1
        pad = 0.1 * (y_hi - y_lo)
        y_lo, y_hi = _nice(y_lo - pad, down=True), _nice(y_hi + pad, down=False)
        if y_lo > 0 and y_lo < 0.5 * (y_hi - y_lo):
            y_lo = 0.0
        if y_hi < 0 and -y_hi < 0.5 * (y_hi - y_lo):
            y_hi = 0.0
        return (float(lo), float(hi)), (y_lo, y_hi)
    return None


def _nice(v: float, down: bool) -> float:
    if v == 0:
        return 0.0
    mag = 10 ** math.floor(math.log10(abs(v)))
    step = mag / 2
    return (math.floor(v / step) if down else math.ceil(v / step)) * step


def _step(lo: float, hi: float) -> float:
    span = hi - lo
    raw = span / 6
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def describe(part: str) -> list[str]:
    """Plain-words reading of a formula part (what it contains, not what it means)."""
    out = []
    m = re.fullmatch(r"\s*([A-Za-z])\s*\(\s*([A-Za-z,\s]+)\s*\)\s*", part)
    if m:
        return [f"the function {m.group(1)} of {m.group(2).strip()}"]
    checks = [
        (r"\\int_\{?([^}\s^]+)\}?\^\{?([^}\s]+)\}?", lambda m: f"an integral from {_plain(m.group(1))} to {_plain(m.group(2))}"),
        (r"\\i+nt|\\oint", lambda m: "an integral"),
        (r"\\sum_\{([^}]*)\}\^\{?([^}\s]+)\}?", lambda m: f"a sum over {_plain(m.group(1))} up to {_plain(m.group(2))}"),
        (r"\\sum", lambda m: "a sum"),
        (r"\\prod", lambda m: "a product of many factors"),
        (r"\\lim_\{([^}]*)\}", lambda m: f"a limit as {_plain(m.group(1))}"),
        (r"\\frac\{d[^}]*\}\{d([a-z])\}|\\frac\{\\partial", lambda m: "a derivative"),
        (r"\\frac", lambda m: "a fraction"),
        (r"\\sqrt", lambda m: "a square root"),
        (r"\\partial", lambda m: "partial derivatives"),
        (r"\\nabla", lambda m: "the nabla (gradient) operator"),
        (r"e\^|\\exp", lambda m: "an exponential"),
        (r"\\ln|\\log", lambda m: "a logarithm"),
        (r"\\sin|\\cos|\\tan", lambda m: "a trigonometric function"),
        (r"\^\{?-1\}?", lambda m: "an inverse"),
        (r"\^", lambda m: "a power"),
        (r"\\vec|\\mathbf|\\boldsymbol", lambda m: "vectors"),
        (r"\\mathbb\{E\}", lambda m: "an expectation"),
        (r"\\infty", lambda m: "infinity"),
    ]
    seen: set[str] = set()
    found: list[tuple[int, str]] = []  # (where in the formula, the phrase)
    for pat, say in checks:
        mm = re.search(pat, part)
        if mm:
            phrase = say(mm)
            key = phrase.split(" ")[1] if " " in phrase else phrase
            if key not in seen and all(phrase != f for _, f in found):
                seen.add(key)
                found.append((mm.start(), phrase))
    out = [f for _, f in sorted(found, key=lambda x: x[0])]
    return out[:3] or [f"the expression {_plain(part)}"]


def _plain(tex: str) -> str:
    s = tex
    for cmd, rep in ((r"\infty", "∞"), (r"\to", "→"), (r"\pi", "π"), (r"\alpha", "α"), (r"\theta", "θ"),
                     (r"\cdot", "·"), (r"\,", " "), (r"\left", ""), (r"\right", "")):
        s = s.replace(cmd, rep)
    s = re.sub(r"\\([A-Za-z]+)", r"\1", s)
    return s.replace("{", "").replace("}", "").strip()[:40]


def _title_from(prompt: str, formulas: list[str]) -> str:
    t = prompt
    for f in formulas:
        t = t.replace(f, " ")
    t = re.sub(r"\$+|\\\[|\\\]|\\\(|\\\)", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" .,:;-")
    words = [w for w in t.split() if w.lower() not in ("explain", "animate", "show", "please", "visualize",
                                                       "visualise", "the", "formula", "equation", "me")]
    if len(words) >= 2:
        title = " ".join(t.split()[-len(words):]) if False else t
        title = title[0].upper() + title[1:]
        return title[:48]
    return "Reading a formula"


def formula_scene(prompt: str, formula: str) -> tuple[str, str, Optional[FunctionOf], list[tuple[str, str]]]:
    """(code, notes_md, the function if plotted, [(part, caption)])."""
    parts = split_top(formula)
    fn = read_function(formula)
    captions = []
    sides = [i for i, p in enumerate(parts) if p not in RELATIONS]
    for n, i in enumerate(sides):
        what = describe(parts[i])
        if len(sides) == 2:
            label = "left side" if n == 0 else "right side"
        elif len(sides) > 2:
            label = f"part {n + 1}"
        else:
            label = "the expression"
        captions.append((i, f"{label}: " + ", ".join(what)))
    title = _title_from(prompt, [formula])
    from text_to_manim.fixes.sanitize import _literal

    tex_parts = ", ".join(_literal("", '"', p) for p in parts)
    lines = [
        "from manim import *",
        "import numpy as np",
        "",
        "# Written by the offline formula template (no model): it writes the formula, points at its parts"
        + (" and plots it." if fn else "."),
        "",
        "",
        "class FormulaScene(Scene):",
        "    def construct(self):",
        f"        title = Text({title!r}, font_size=36).to_edge(UP)",
        f"        formula = MathTex({tex_parts})",
        "        if formula.width > 12:",
        "            formula.scale_to_fit_width(12)",
        "        self.play(Write(title))",
        "        self.play(Write(formula), run_time=2)",
        "        self.wait(1)",
    ]
    for i, cap in captions:
        lines += [
            f"        box = SurroundingRectangle(formula[{i}], color=YELLOW, buff=0.12)",
            f"        caption = Text({cap!r}, font_size=28).next_to(formula, DOWN, buff=0.6)",
            "        if caption.width > 12:",
            "            caption.scale_to_fit_width(12)",
            "        self.play(Create(box), FadeIn(caption, shift=UP * 0.2))",
            "        self.wait(1.5)",
            "        self.play(FadeOut(box), FadeOut(caption))",
        ]
    if fn:
        (x0, x1), (y0, y1) = fn.x_range, fn.y_range
        xs, ys = _step(x0, x1), _step(y0, y1)
        xt = [v for v in (x0, x1) if abs(v) > 1e-9]
        yt = [v for v in (y0, y1) if abs(v) > 1e-9]
        lines += [
            "        self.play(FadeOut(title), formula.animate.scale(0.7).to_edge(UP))",
            f"        axes = Axes(x_range=[{x0:g}, {x1:g}, {xs:g}], y_range=[{y0:g}, {y1:g}, {ys:g}],",
            "                    x_length=10, y_length=5.2, tips=False,",
            "                    axis_config={\"color\": GREY_B}).to_edge(DOWN, buff=0.4)",
            f"        axes.add_coordinates({[round(v, 3) for v in xt]}, {[round(v, 3) for v in yt]})",
            f"        graph = axes.plot(lambda {fn.var}: {fn.expr}, x_range=[{x0:g}, {x1:g}], color=BLUE)",
            "        self.play(Create(axes))",
            "        self.play(Create(graph), run_time=2.5)",
            "        self.wait(2)",
        ]
    else:
        lines += ["        self.play(FadeOut(title), formula.animate.scale(1.2))", "        self.wait(2)"]
    code = "\n".join(lines) + "\n"
    md = [f"# {title}", "", f"$$ {formula} $$", "", "## Reading it, part by part", ""]
    md += [f"- {cap}" for _, cap in captions]
    if fn:
        md += ["", "## The graph", "",
               f"The right side is read as a function of ${fn.var}$ and plotted for "
               f"${fn.var} \\in [{fn.x_range[0]:g}, {fn.x_range[1]:g}]$ (values between "
               f"{fn.y_range[0]:g} and {fn.y_range[1]:g}). In numpy: `{fn.expr}`."]
    md += ["", "---", "",
           "*These notes come from the offline template: they describe the structure of the formula, "
           "not its meaning. Set `DEEPSEEK_API_KEY` (or another model) for real explanations.*"]
    return code, "\n".join(md) + "\n", fn, [(parts[i], c) for i, c in captions]


# ------------------------------------------------------------------------------------------------- plan
class OfflineProvider:
    name = "offline"
    model = "offline-gallery"

    def __init__(self, entries: Optional[list] = None, threshold: float = MATCH_THRESHOLD):
        self.entries = entries
        self.threshold = threshold

    def plan(self, prompt: str, *, formulas: Optional[list[str]] = None, formula_ok: Optional[dict] = None,
             previous_code: Optional[str] = None) -> Plan:
        """formulas/formula_ok come from the anchor stage (find_formulas + compile_batch)."""
        formulas = latex.find_formulas(prompt) if formulas is None else formulas
        matches = match(prompt, self.entries)
        best = matches[0] if matches else None
        why = []
        if previous_code:
            why.append("Offline mode cannot edit code (that needs a model); treating this as a new request.")
        if best and best.score >= self.threshold and (not formulas or best.score >= 2 * self.threshold
                                                      or best.terms):
            e = best.entry
            params, pnotes = extract_params(prompt, e)
            terms = ", ".join(f"'{t}'" for t in best.terms[:4]) or "its title and summary"
            why.append(f"Offline gallery: matched '{e.slug}' (\"{e.title}\", TF-IDF {best.score:.2f} on "
                       f"keywords {terms}).")
            if len(matches) > 1:
                why.append(f"Next closest: '{matches[1].entry.slug}' ({matches[1].score:.2f}).")
            why += [p[0].upper() + p[1:] + "." for p in pnotes]
            unused = [p for p in e.params if p.name not in params]
            if unused:
                why.append("Defaults kept for " + ", ".join(f"{p.name}={p.default}" for p in unused) + ".")
            why.append(NO_MODEL + " The scene's code is the gallery's, with the parameters above applied.")
            code = gallery.with_params(e.code, params) if params else e.code
            md_path, tex_path = e.notes_md, e.notes_tex
            notes_md = md_path.read_text(encoding="utf-8") if md_path else ""
            if not md_path:
                why.append("(This gallery scene has no study notes in documentation/ yet.)")
            return Plan("gallery", "\n".join(why) + "\n", entry=e, params=params, code=code, scene=e.scene,
                        notes_md=notes_md, notes_md_path=md_path, notes_tex_path=tex_path, matches=matches[:3],
                        formulas=formulas)
        usable = [f for f in formulas if (formula_ok or {}).get(f, True)]
        if usable:
            f = max(usable, key=len)
            code, notes_md, fn, caps = formula_scene(prompt, f)
            if best and best.score >= self.threshold:
                why.append(f"Offline gallery: the closest scene, '{best.entry.slug}' (TF-IDF {best.score:.2f}), "
                           "shares none of its keywords with the prompt, so it is not what was asked for.")
            elif best:
                why.append(f"Offline gallery: no scene is about this prompt (closest '{best.entry.slug}' at "
                           f"TF-IDF {best.score:.2f}, below {self.threshold:.2f}).")
            why.append(f"Formula template: the prompt carries LaTeX, ${f}$; it compiled, so the scene writes it "
                       f"and points at its {len(caps)} part(s).")
            if fn:
                why.append(f"It reads as a function of {fn.var} with certainty ({fn.expr}), so the scene also "
                           f"plots it for {fn.var} in [{fn.x_range[0]:g}, {fn.x_range[1]:g}].")
            else:
                why.append("It is not a function of one variable that the offline reader understands with "
                           "certainty, so there is no plot (better none than a wrong one).")
            why.append(NO_MODEL)
            return Plan("formula", "\n".join(why) + "\n", code=code, scene="FormulaScene", notes_md=notes_md,
                        matches=matches[:3], formulas=formulas)
        bad = [f for f in formulas if not (formula_ok or {}).get(f, True)]
        related = [m for m in matches[:3] if m.score > 0]
        closest = ", ".join(f"'{m.entry.slug}' ({m.entry.title}, {m.score:.2f})" for m in related)
        if bad:
            why.append(f"The formula ${bad[0]}$ does not compile, and the offline provider cannot fix LaTeX.")
        why.append("Offline gallery: nothing matches this prompt closely enough"
                   + (f" (best TF-IDF {best.score:.2f}, needs {self.threshold:.2f})" if best else "") + ".")
        if closest:
            why.append(f"Closest gallery scenes: {closest}.")
        else:
            titles = ", ".join(m.entry.title for m in sorted(matches, key=lambda m: m.entry.order)[:8])
            why.append(f"No gallery scene shares a word with it. The gallery has: {titles}.")
        why.append("Offline mode only knows the gallery and formula templates (a prompt with $...$ LaTeX). "
                   "For any other concept set DEEPSEEK_API_KEY (or LLM_BASE_URL/LLM_MODEL/LLM_API_KEY) in .env "
                   "and use --provider openai. " + NO_MODEL)
        msg = ("offline provider: no gallery scene or formula template matches this prompt"
               + (f"; closest: {', '.join(m.entry.slug for m in related)}" if related else "")
               + "; set DEEPSEEK_API_KEY to use a model")
        if bad:
            msg = "the formula does not compile and offline mode cannot repair it; " + msg
        return Plan("none", "\n".join(why) + "\n", ok=False, message=msg, matches=matches[:3], formulas=formulas)

    def stream(self, plan: Plan) -> Iterator:
        """Reasoning in small deltas, then the answer text (code, notes): the UI shows it like a model's."""
        for i in range(0, len(plan.reasoning), CHUNK):
            yield ReasoningDelta(plan.reasoning[i:i + CHUNK])
        answer = plan.answer()
        for i in range(0, len(answer), CHUNK * 8):
            yield TextDelta(answer[i:i + CHUNK * 8])
