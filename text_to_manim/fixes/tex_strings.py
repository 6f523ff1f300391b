"""TeX in string literals (found by tokenizing, with the call they are an argument of): non-raw strings with TeX
escapes made raw, `$…$` stripped inside MathTex, unicode math to TeX commands, unbalanced braces and
\\left/\\right closed."""
from __future__ import annotations

import keyword
import re
import tokenize
from dataclasses import dataclass, field
from typing import Optional

from text_to_manim.events import Fix
from text_to_manim.fixes.edits import (
    Edit,
    apply,
    line_starts,
    offset,
    tokens,
)
from text_to_manim.tex.source import MATH_UNICODE, string_literal

# TeX-taking callables: positional string args are TeX source.
MATH_CALLS = {"MathTex", "SingleStringMathTex", "TexMobject", "MathTable", "get_graph_label", "get_axis_labels",
              "get_x_axis_label", "get_y_axis_label", "get_tex", "BraceLabel", "Integer", "DecimalNumber",
              "Variable", "Matrix", "IntegerMatrix", "DecimalMatrix", "MobjectMatrix"}

TEXT_CALLS = {"Tex", "TextMobject", "Title", "BulletedList", "get_text", "BraceText", "TexText"}

TEX_SUBSTRING_CALLS = {"set_color_by_tex", "get_part_by_tex", "get_parts_by_tex", "index_of_part_by_tex",
                       "set_color_by_tex_to_color_map", "TransformMatchingTex"}

PANGO_CALLS = {"Text", "MarkupText", "Paragraph", "print", "Code", "format", "join", "split", "replace",
               "startswith", "endswith", "log", "write"}

TEX_WORDS = set("""frac dfrac tfrac sqrt sum int iint oint prod lim log ln exp sin cos tan sec csc cot arcsin arccos
arctan sinh cosh tanh alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi
Psi Omega infty partial nabla cdot cdots ldots dots vdots ddots times div pm mp leq le geq ge neq ne approx equiv
sim simeq cong propto in notin subset subseteq supset cup cap emptyset forall exists neg land lor to mapsto
rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow iff implies left right big Big bigg
langle rangle lfloor rfloor lceil rceil vec hat bar tilde dot ddot overline underline overbrace underbrace
mathbf mathrm mathbb mathcal mathit mathsf boldsymbol text textbf textit operatorname displaystyle quad qquad
binom choose over begin end hbar ell det max min arg sup inf mid vert Vert circ star ast dagger otimes oplus
wedge vee perp parallel angle triangle square checkmark limits nolimits color textcolor newline""".split())


SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ", "0123456789+-=()niT"))

SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₖₙₜ", "0123456789+-=()aeoxijknt"))



@dataclass
class _Str:
    tok: tokenize.TokenInfo
    start: int
    end: int
    prefix: str
    quote: str
    body: str
    mode: Optional[str]  # "math" | "text" | "tex" (substring) | "pango" | None
    call: Optional[str]
    frame_id: int = -1
    arg_index: int = -1
    pure_arg: bool = False



@dataclass
class _Frame:
    func: Optional[str]
    opener: str
    id: int
    arg_index: int = 0
    kw: Optional[str] = None
    arg_has_other: bool = False
    arg_strings: list = field(default_factory=list)



def _split_string(s: str) -> Optional[tuple[str, str, str]]:
    m = re.match(r"^([A-Za-z]*)('''|\"\"\"|'|\")", s)
    if not m:
        return None
    prefix, quote = m.group(1), m.group(2)
    if not s.endswith(quote) or len(s) < len(prefix) + 2 * len(quote):
        return None
    return prefix, quote, s[len(prefix) + len(quote):len(s) - len(quote)]



def _mode_for(func: Optional[str], kw: Optional[str]) -> Optional[str]:
    if func is None:
        return None
    if kw in ("label", "x_label", "y_label", "unit", "tex_string") and func in MATH_CALLS | {"get_graph_label"}:
        return "math"
    if kw not in (None, "label", "x_label", "y_label"):
        return None
    if func in MATH_CALLS:
        return "math"
    if func in TEXT_CALLS:
        return "text"
    if func in TEX_SUBSTRING_CALLS:
        return "tex"
    if func in PANGO_CALLS:
        return "pango"
    return None



def _scan_strings(code: str) -> list[_Str]:
    toks = tokens(code)
    starts = line_starts(code)
    stack: list[_Frame] = []
    out: list[_Str] = []
    prev_sig = None
    next_id = 0
    for i, t in enumerate(toks):
        if t.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
            continue
        if t.type == tokenize.OP and t.string in "([{":
            func = prev_sig.string if (t.string == "(" and prev_sig is not None and prev_sig.type == tokenize.NAME
                                       and not keyword.iskeyword(prev_sig.string)) else None
            if stack:
                stack[-1].arg_has_other = True
            stack.append(_Frame(func, t.string, next_id))
            next_id += 1
        elif t.type == tokenize.OP and t.string in ")]}":
            if stack:
                stack.pop()
        elif t.type == tokenize.OP and t.string == "," and stack:
            f = stack[-1]
            f.arg_index += 1
            f.kw = None
            f.arg_has_other = False
        elif t.type == tokenize.OP and t.string == "=" and stack and prev_sig is not None \
                and prev_sig.type == tokenize.NAME:
            stack[-1].kw = prev_sig.string
        elif t.type == tokenize.STRING:
            parts = _split_string(t.string)
            if parts:
                prefix, quote, body = parts
                frame = stack[-1] if stack and stack[-1].opener == "(" else None
                func, kw = (frame.func, frame.kw) if frame else (None, None)
                a = offset(starts, *t.start)
                b = offset(starts, *t.end)
                s = _Str(t, a, b, prefix, quote, body, _mode_for(func, kw), func)
                if frame and kw is None:
                    s.frame_id, s.arg_index = frame.id, frame.arg_index
                    s.pure_arg = not frame.arg_has_other
                out.append(s)
        else:
            if stack and t.type != tokenize.STRING:
                # A name/number/operator inside the current argument: the argument is not a pure string.
                if not (t.type == tokenize.NAME and toks[i + 1:i + 2] and toks[i + 1].string == "="):
                    stack[-1].arg_has_other = True
        prev_sig = t
    return out



def _bad_escapes(body: str) -> list[str]:
    """Single-backslash sequences that are TeX in intent: `\\frac`, `\\,`, `\\{` (not `\\\\`, `\\"`)."""
    found, i = [], 0
    while i < len(body) - 1:
        if body[i] == "\\":
            n = body[i + 1]
            if n == "\\":
                i += 2
                continue
            if n.isalpha():
                m = re.match(r"[A-Za-z]+", body[i + 1:])
                found.append(m.group(0) if m else n)
            elif n in "{}[],;:!| %#&^_()<>.-=":
                found.append(n)
            i += 2
            continue
        i += 1
    return found



def _escaped_to_value(body: str) -> str:
    """How a writer who escapes backslashes (\"\\\\frac\") meant the body: `\\\\` is one backslash."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n == "\\":
                out.append("\\")
            elif n in "'\"":
                out.append(n)
            elif n == "\n":
                pass
            else:
                out.append("\\" + n)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)



class _Out(list):
    _wrapped = -1



def _unicode_to_tex(body: str, mode: str, raw: bool) -> tuple[str, list[str]]:
    """Map unicode math to TeX; `mode` math or text (text wraps in $…$ outside math)."""
    bs = "\\" if raw else "\\\\"
    out, changed, i, in_math = _Out(), [], 0, mode == "math"
    while i < len(body):
        c = body[i]
        if c == "$" and mode == "text" and (i == 0 or body[i - 1] != "\\"):
            in_math = not in_math
            out.append(c)
            i += 1
            continue
        tex = None
        if c in SUPERSCRIPTS or c in SUBSCRIPTS:
            table, mark = (SUPERSCRIPTS, "^") if c in SUPERSCRIPTS else (SUBSCRIPTS, "_")
            j = i
            while j < len(body) and body[j] in table:
                j += 1
            tex = mark + "{" + "".join(table[ch] for ch in body[i:j]) + "}"
            changed.append(body[i:j])
            i = j
        elif c in MATH_UNICODE:
            cmd = MATH_UNICODE[c].replace("\\", bs)
            changed.append(c)
            i += 1
            if c == "√" and i < len(body) and body[i] == "(":
                depth, j = 0, i
                while j < len(body):
                    depth += {"(": 1, ")": -1}.get(body[j], 0)
                    if depth == 0:
                        break
                    j += 1
                if j < len(body):
                    cmd += "{" + body[i + 1:j] + "}"
                    i = j + 1
            elif cmd[-1].isalpha() and i < len(body) and body[i].isascii() and body[i].isalnum():
                cmd += " "
            tex = cmd
        if tex is None:
            out.append(c)
            i += 1
            continue
        if in_math:
            out.append(tex)
        elif out and out[-1].endswith("$") and getattr(out, "_wrapped", None) == len(out):
            out[-1] = out[-1][:-1] + tex + "$"  # merge with the math run just emitted: $\alpha^{2}$
            out._wrapped = len(out)
        else:
            out.append("$" + tex + "$")
            out._wrapped = len(out)
    return "".join(out), changed



def _tex_repair(value: str) -> tuple[list[tuple[int, str, str]], list[str]]:
    """Operations that balance braces and \\left/\\right: (position, "ins"|"del", text) and what they do.

    An unclosed `{` is closed where its group must end: before the `\\right` of an enclosing `\\left`
    (`\\left( x^{2 \\right)` gets `x^{2}`), or at the end. A `\\left` still open when its brace
    group closes gets `\\right.` there; a `\\right` with no `\\left` gets `\\left.` at the start of
    its group; an unmatched `}` is removed."""
    ops: list[tuple[int, str, str]] = []
    stack: list[tuple[str, int]] = []  # ("{", pos) | ("left", pos)
    counts = {"close": 0, "right": 0, "left": 0, "del": 0}
    group_start = [0]
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            m = re.match(r"\\(left|right)(?![A-Za-z])", value[i:])
            if m and m.group(1) == "left":
                stack.append(("left", i))
                i += 5
                continue
            if m and m.group(1) == "right":
                if any(k == "left" for k, _ in stack):
                    while stack and stack[-1][0] == "{":
                        stack.pop()
                        ops.append((i, "ins", "}"))
                        counts["close"] += 1
                    stack.pop()
                else:
                    ops.append((group_start[-1], "ins", "\\left. "))
                    counts["left"] += 1
                i += 6
                continue
            i += 2
            continue
        if c == "{":
            stack.append(("{", i))
            group_start.append(i + 1)
        elif c == "}":
            while stack and stack[-1][0] == "left":
                stack.pop()
                ops.append((i, "ins", " \\right."))
                counts["right"] += 1
            if stack:
                stack.pop()
                if len(group_start) > 1:
                    group_start.pop()
            else:
                ops.append((i, "del", ""))
                counts["del"] += 1
        i += 1
    for kind, _ in reversed(stack):
        if kind == "{":
            ops.append((len(value), "ins", "}"))
            counts["close"] += 1
        else:
            ops.append((len(value), "ins", " \\right."))
            counts["right"] += 1
    what = []
    if counts["close"]:
        what.append(f"closed {counts['close']} unclosed '{{'")
    if counts["del"]:
        what.append(f"removed {counts['del']} unmatched '}}'")
    if counts["right"]:
        what.append(f"added {counts['right']} \\right. for an unmatched \\left")
    if counts["left"]:
        what.append(f"added {counts['left']} \\left. for an unmatched \\right")
    return ops, what



def fix_tex_strings(code: str, fixes: list[Fix]) -> str:
    strs = _scan_strings(code)
    edits: list[Edit] = []
    new_bodies: dict[int, tuple[str, str, str]] = {}  # start -> (prefix, quote, body)
    for s in strs:
        p = s.prefix.lower()
        if "b" in p:
            continue
        prefix, body, quote = s.prefix, s.body, s.quote
        whats = []
        bad = _bad_escapes(body) if "r" not in p else []
        # 1. non-raw TeX string
        is_tex_context = s.mode in ("math", "text", "tex")
        tex_words = [w for w in bad if w in TEX_WORDS]
        if bad and (is_tex_context or (s.mode != "pango" and tex_words)):
            singles = len(re.findall(r"(?<!\\)\\[A-Za-z{},;!]", body))
            doubles = len(re.findall(r"\\\\[A-Za-z{},;!]", body))
            value = body if singles >= doubles else _escaped_to_value(body)
            lit = string_literal(value, quote, prefix)
            if lit.startswith("r") or "r" in lit[:2]:
                escapes = ", ".join(dict.fromkeys("\\" + w for w in bad))[:60]
                whats.append(f"made TeX string raw ({escapes}: a non-raw \"\\f\" is a form feed)")
                parts = _split_string(lit)
                assert parts is not None  # _literal made a literal
                prefix, quote, body = parts
        raw = "r" in prefix.lower()
        if s.mode == "math":
            # 2. $…$ / \[ \] delimiters inside MathTex
            stripped = re.sub(r"(?<!\\)\$", "", body)
            stripped = re.sub(r"^\s*\\\[|\\\]\s*$", "", stripped) if raw else stripped
            if stripped != body:
                whats.append("removed $ delimiters inside a math-mode string (MathTex is already math)")
                body = stripped
        if s.mode in ("math", "text") and "f" not in prefix.lower():
            # 3. unicode math
            if any(c in MATH_UNICODE or c in SUPERSCRIPTS or c in SUBSCRIPTS for c in body):
                if not raw and "\\" not in body:
                    prefix, raw = "r" + prefix.replace("u", "").replace("U", ""), True
                new, replaced = _unicode_to_tex(body, s.mode, raw)
                if replaced:
                    whats.append("unicode math to TeX: " + ", ".join(dict.fromkeys(replaced))[:40])
                    body = new
        if whats or (prefix, quote, body) != (s.prefix, s.quote, s.body):
            new_bodies[s.start] = (prefix, quote, body)
            edits.append(Edit(s.start, s.end, prefix + quote + body + quote, "; ".join(whats) or None))
    # 4. unbalanced braces, over all the pure string arguments of one TeX call (MathTex("{", "x", "}") is fine)
    groups: dict[int, list[_Str]] = {}
    for s in strs:
        if s.mode in ("math", "text") and s.frame_id >= 0 and s.pure_arg and "f" not in s.prefix.lower() \
                and "b" not in s.prefix.lower():
            groups.setdefault(s.frame_id, []).append(s)
    by_start = {e.start: e for e in edits}
    for members in groups.values():
        bodies = []
        for s in members:
            prefix, quote, body = new_bodies.get(s.start, (s.prefix, s.quote, s.body))
            value = body if "r" in prefix.lower() else _escaped_to_value(body)
            bodies.append((s, prefix, quote, body, value))
        joined = " ".join(v for *_, v in bodies)
        ops, what = _tex_repair(joined)
        if not ops:
            continue
        changed: dict[int, str] = {}
        if all(b[3] == b[4] for b in bodies):
            # Map each operation on the joined value back to its string (body == value here).
            per: dict[int, list] = {}
            base = 0
            for k, (s, prefix, quote, body, value) in enumerate(bodies):
                end = base + len(value)
                for pos, op, text in ops:
                    last = k == len(bodies) - 1
                    if base <= pos < end or (pos == end and (last or op == "ins")):
                        per.setdefault(k, []).append((pos - base, op, text))
                base = end + 1
            for k, kops in per.items():
                s, prefix, quote, body, value = bodies[k]
                raw = "r" in prefix.lower() or "\\" not in body
                for pos, op, text in sorted(kops, key=lambda o: -o[0]):
                    if op == "del":
                        body = body[:pos] + body[pos + 1:]
                    else:
                        body = body[:pos] + (text if raw else text.replace("\\", "\\\\")) + body[pos:]
                changed[s.start] = body
        else:  # non-raw strings with escapes: only append/prepend what is missing
            s0, s1 = bodies[0], bodies[-1]
            bs = "\\\\"
            head = "".join(t.replace("\\", bs) for p_, op, t in ops if op == "ins" and p_ == 0)
            tail = "".join(t.replace("\\", bs) for p_, op, t in ops if op == "ins" and p_ >= len(joined))
            if head:
                changed[s0[0].start] = head + s0[3]
            if tail:
                changed[s1[0].start] = changed.get(s1[0].start, s1[3]) + tail
        first = True
        for s, prefix, quote, body, value in bodies:
            if s.start not in changed:
                continue
            text = prefix + quote + changed[s.start] + quote
            old = by_start.get(s.start)
            note = ("unbalanced TeX braces: " + ", ".join(what)) if first else None
            first = False
            if old is not None:
                old.text = text
                old.what = "; ".join(x for x in (old.what, note) if x) or None
            else:
                e = Edit(s.start, s.end, text, note)
                edits.append(e)
                by_start[s.start] = e
    return apply(code, edits, fixes)
