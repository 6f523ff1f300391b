"""The formula template: a scene that writes a formula, points at its parts in plain words and, when it
reads as a function of one variable (`formula.read_function`), plots it; with notes that say what the
template did and did not understand."""
from __future__ import annotations

import math
import re
from typing import Optional

from text_to_manim.generate.offline.formula import RELATIONS, FunctionOf, read_function, split_top
from text_to_manim.tex.source import string_literal


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
        (r"\\int_\{?([^}\s^]+)\}?\^\{?([^}\s]+)\}?",
         lambda m: f"an integral from {_plain(m.group(1))} to {_plain(m.group(2))}"),
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
    found: list[tuple[int, str]] = []
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
        return (t[0].upper() + t[1:])[:48]
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
    tex_parts = ", ".join(string_literal(p) for p in parts)
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
