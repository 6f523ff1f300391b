"""Reading a formula with certainty: split at its relations, and parse the right side of `f(x) = …` (a
small, unambiguous subset of LaTeX) into numpy source with the ranges worth plotting; anything less
certain reads as None, because no plot is better than a wrong one."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional


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
