"""How a formula is read aloud: LaTeX -> plain English words, for narration written without a model.

Deterministic and small: the common shapes of explainer formulas (powers, fractions, roots, sums, integrals,
Greek letters, relations). Anything it does not know is read as its letters, never as a backslash command.
"""
from __future__ import annotations

import re

WORDS = {
    "+": " plus ", "-": " minus ", "=": " equals ", "<": " is less than ", ">": " is greater than ",
    r"\cdot": " times ", r"\times": " times ", r"\le": " is at most ", r"\leq": " is at most ",
    r"\ge": " is at least ", r"\geq": " is at least ", r"\neq": " is not equal to ", r"\approx": " is about ",
    r"\to": " goes to ", r"\rightarrow": " goes to ", r"\infty": " infinity ", r"\int": " the integral of ",
    r"\sum": " the sum of ", r"\prod": " the product of ", r"\lim": " the limit of ", r"\partial": " partial ",
    r"\nabla": " nabla ", r"\in": " in ", r"\pm": " plus or minus ", r"\log": " log ", r"\ln": " log ",
    r"\sin": " sine ", r"\cos": " cosine ", r"\tan": " tangent ", r"\exp": " exp ", r"\dots": " and so on ",
    r"\ldots": " and so on ", r"\cdots": " and so on ", r"\mathbb{R}": " the reals ", "'": " prime ",
}
POWERS = {"2": "squared", "3": "cubed", "-1": "inverse", "T": "transposed"}
GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho "
         "sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega").split()
DROP = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg|displaystyle|textstyle|quad|qquad|mathrm|mathbf|mathit|"
                  r"operatorname|text|boldsymbol|vec|hat|bar|tilde)\b|\\[,;:! ]|&|\\\\")
GROUP = r"\{((?:[^{}]|\{[^{}]*\})*)\}"  # one brace group, one level of nesting inside
MAX_CHARS = 300
BIG = {"int": "integral", "sum": "sum", "prod": "product"}


def math_words(tex: str) -> str:
    """`x^2 + y^2 = r^2` -> 'x squared plus y squared equals r squared'."""
    s = str(tex)[:MAX_CHARS]
    s = re.sub(r"\\(int|sum|prod)\s*_\s*(?:" + GROUP + r"|(\w))\s*\^\s*(?:" + GROUP + r"|(\w))",
               lambda m: f" the {BIG[m.group(1)]} from {m.group(2) or m.group(3)} to {m.group(4) or m.group(5)} of ", s)
    s = re.sub(r"\\[dt]?frac\s*" + GROUP + r"\s*" + GROUP, lambda m: f" {m.group(1)} over {m.group(2)} ", s)
    s = re.sub(r"\\sqrt\s*" + GROUP, lambda m: f" the square root of {m.group(1)} ", s)
    s = re.sub(r"\^\s*" + GROUP, lambda m: _power(m.group(1)), s)
    s = re.sub(r"\^\s*(-?\w)", lambda m: _power(m.group(1)), s)
    s = re.sub(r"_\s*" + GROUP, lambda m: f" sub {m.group(1)} ", s)
    s = re.sub(r"_\s*(\w)", lambda m: f" sub {m.group(1)} ", s)
    s = DROP.sub(" ", s)
    for k in sorted(WORDS, key=len, reverse=True):
        if k.startswith("\\"):
            s = re.sub(re.escape(k) + r"(?![A-Za-z])", WORDS[k], s)
        else:
            s = s.replace(k, WORDS[k])
    s = re.sub(r"\\(" + "|".join(GREEK) + r")(?![A-Za-z])", lambda m: f" {m.group(1).lower()} ", s)
    s = re.sub(r"\\[A-Za-z]+", " ", s)  # a command not known: not read out
    s = re.sub(r"[{}()\[\]|$^_\\]", " ", s)
    return " ".join(s.split())


def _power(p: str) -> str:
    p = p.strip()
    return f" {POWERS[p]} " if p in POWERS else f" to the power {p} "
