"""How TeX is spelled in scene source and in notes: the unicode characters that stand for TeX commands, and
Python string literals that carry TeX unchanged. Shared by the fixers, the study notes and the offline
formula template, below all of them."""
from __future__ import annotations

# A unicode math character -> the TeX that writes it (inside math mode).
MATH_UNICODE = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\epsilon", "ζ": r"\zeta", "η": r"\eta",
    "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi",
    "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\phi", "ϕ": r"\phi",
    "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda",
    "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
    "∫": r"\int", "∬": r"\iint", "∮": r"\oint", "∑": r"\sum", "∏": r"\prod", "∞": r"\infty",
    "∂": r"\partial", "∇": r"\nabla", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx", "≡": r"\equiv",
    "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "⊆": r"\subseteq", "∪": r"\cup", "∩": r"\cap",
    "∅": r"\emptyset", "→": r"\to", "←": r"\leftarrow", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow",
    "↔": r"\leftrightarrow", "↦": r"\mapsto", "∀": r"\forall", "∃": r"\exists", "·": r"\cdot", "⋅": r"\cdot",
    "×": r"\times", "÷": r"\div", "±": r"\pm", "∓": r"\mp", "°": r"^\circ", "…": r"\ldots", "⋯": r"\cdots",
    "⟨": r"\langle", "⟩": r"\rangle", "∝": r"\propto", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}",
    "ℤ": r"\mathbb{Z}", "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}", "∧": r"\wedge", "∨": r"\vee", "¬": r"\neg",
    "⊗": r"\otimes", "⊕": r"\oplus", "∘": r"\circ", "ħ": r"\hbar", "ℓ": r"\ell", "−": "-", "√": r"\sqrt",
    "‖": r"\|", "⊥": r"\perp", "∥": r"\parallel", "∼": r"\sim", "≅": r"\cong", "′": "'", "″": "''",
}


def string_literal(value: str, quote: str = '"', prefix: str = "") -> str:
    """Python source for the string `value` in `quote` (one or three quote characters): raw when it can be,
    so TeX's backslashes read as written; `prefix` keeps a literal's other letters (f, b), never u or r."""
    p = prefix.lower().replace("u", "").replace("r", "")
    trailing = len(value) - len(value.rstrip("\\"))  # an odd run of backslashes would escape the quote
    if len(quote) == 3:
        raw_fits = quote not in value and not value.endswith(quote[0])
    else:
        raw_fits = quote not in value and "\n" not in value
    if raw_fits and "\r" not in value and trailing % 2 == 0:  # source reads a carriage return as a newline
        return "r" + p + quote + value + quote
    escaped = value.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0]).replace("\r", "\\r")
    if len(quote) == 1:
        escaped = escaped.replace("\n", "\\n")
    return p + quote + escaped + quote
