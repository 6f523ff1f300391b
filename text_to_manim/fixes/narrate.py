"""Narrate anything: a scene without voice-over gets one, as a source rewrite (no model needed).

Each statement of `construct` that plays animations becomes a segment. Its text is the model's (when one
wrote the narration, see `generate.prompts.narration`) or written here from the scene itself: the Text,
Tex and MathTex contents it shows (formulas read as words, speech/spoken.py) and the kinds of its
animations ("We draw a circle."). The rewrite wraps each narrated statement, and the `self.wait(...)`
statements right after it, in `with self.voiceover(text=...) as tracker:`; the scene's base becomes the
stand-in `VoiceoverScene` (sandbox/runner/voiceover.py).

How speech and pictures stay together: the stand-in ends a block only when its speech has ended, waiting
for the rest of it after the block's animations (a wait that follows the statement is inside the block,
so it is used for the speech first). Animations keep their own pace; no run_time is changed, so nothing
the scene computes from run times (updaters, ValueTrackers) plays differently, and a silent picture is
never rushed. The texts are literals, so the trusted speech step synthesises each before the run.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional

from text_to_manim import syntax
from text_to_manim.events import Fix
from text_to_manim.fixes.edits import func_name, indent_of, line_starts
from text_to_manim.speech.narration import VOICEOVER_CALL
from text_to_manim.speech.spoken import math_words

IMPORT = "from manim_voiceover import VoiceoverScene\n"
BASE = "VoiceoverScene"
MAX_SEGMENTS = 60
MAX_WORDS = 40  # one segment's narration: about 15 s of speech
TEXTS = {"Text", "Tex", "MarkupText", "Paragraph", "Title", "BulletedList"}
MATH = {"MathTex", "MathTable", "DecimalNumber", "Integer"}
APPEAR = {"Write", "Create", "FadeIn", "DrawBorderThenFill", "GrowFromCenter", "GrowFromPoint", "GrowFromEdge",
          "SpinInFromNothing", "ShowCreation", "AddTextLetterByLetter", "AddTextWordByWord", "Uncreate",
          "GrowArrow", "DrawBorderThenFill", "ShowIncreasingSubsets", "Blink"}
DRAW = {"Create", "ShowCreation", "DrawBorderThenFill", "GrowArrow", "GrowFromCenter", "GrowFromPoint"}
CHANGE = {"Transform", "ReplacementTransform", "TransformMatchingTex", "TransformMatchingShapes",
          "TransformFromCopy", "FadeTransform", "ClockwiseTransform", "CounterclockwiseTransform"}
POINT = {"Indicate", "Circumscribe", "Flash", "Wiggle", "FocusOn", "ApplyWave", "ShowPassingFlash"}
GROUPS = {"LaggedStart", "AnimationGroup", "Succession", "LaggedStartMap"}
QUIET = {"FadeOut", "Uncreate", "Unwrite", "ShrinkToCenter", "Wait", "RemoveTextLetterByLetter"}
NOUNS = {"Axes": "the axes", "ThreeDAxes": "the axes", "NumberPlane": "a coordinate plane",
         "NumberLine": "a number line", "Dot": "a point", "Dot3D": "a point", "Line": "a line", "Arrow": "an arrow",
         "Vector": "a vector", "DashedLine": "a dashed line", "Circle": "a circle", "Square": "a square",
         "Rectangle": "a rectangle", "Triangle": "a triangle", "Polygon": "a polygon", "RegularPolygon": "a polygon",
         "Ellipse": "an ellipse", "Arc": "an arc", "Star": "a star", "SurroundingRectangle": "a box around it",
         "BarChart": "a bar chart", "Table": "a table", "Matrix": "a matrix", "Graph": "a graph",
         "ParametricFunction": "a curve", "FunctionGraph": "the graph", "plot": "the graph",
         "get_graph": "the graph", "Brace": "a brace", "Angle": "an angle", "Sector": "a sector",
         "Polyline": "a path", "VMobject": "a shape", "Cube": "a cube", "Sphere": "a sphere", "Surface": "a surface"}
PLURAL = {"a point": "the points", "a circle": "the circles", "a square": "the squares", "a line": "the lines",
          "an arrow": "the arrows", "a vector": "the vectors", "a rectangle": "the bars", "a polygon": "the shapes",
          "a triangle": "the triangles", "a star": "the stars", "the text": "the labels", "the formula": "the formulas"}
UNSAID = {"the text", "the formula", "the labels", "the formulas"}
MOVES = {"shift": "moves", "move_to": "moves", "next_to": "moves", "to_edge": "moves", "to_corner": "moves",
         "rotate": "turns", "scale": "changes size", "set_color": "changes colour", "set_fill": "changes colour",
         "become": "changes", "flip": "flips", "stretch": "stretches", "set_value": "changes",
         "increment_value": "changes"}


@dataclass(frozen=True)
class Segment:
    line: int  # the narrated statement's first line (1-based, in the code given)
    end_line: int  # the last line of the block: the statement and the waits right after it
    text: str


@dataclass(frozen=True)
class Narrated:
    code: str
    segments: list[Segment]
    fixes: list[Fix]


# -- where the narration goes ----------------------------------------------------------------------------

def _scene_constructs(tree: ast.Module) -> list[tuple[ast.ClassDef, ast.FunctionDef]]:
    out = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.bases:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "construct":
                    out.append((node, item))
    return out


def _self_calls(stmt: ast.stmt, name: Optional[str] = None) -> list[ast.Call]:
    return [n for n in ast.walk(stmt) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and isinstance(n.func.value, ast.Name) and n.func.value.id == "self" and (name is None or n.func.attr == name)]


def _plays(stmt: ast.stmt) -> list[ast.Call]:
    return _self_calls(stmt, "play")


def _playing_methods(cls: ast.ClassDef) -> set[str]:
    """Methods of the scene (other than construct) that play animations: `self.say("...")` plays too."""
    return {f.name for f in cls.body if isinstance(f, ast.FunctionDef) and f.name != "construct"
            and any(_plays(s) for s in f.body)}


def _helper_calls(stmt: ast.stmt, helpers: set[str]) -> list[ast.Call]:
    return [c for c in _self_calls(stmt) if isinstance(c.func, ast.Attribute) and c.func.attr in helpers]


def _is_wait(stmt: ast.stmt) -> bool:
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Attribute)
            and stmt.value.func.attr == "wait")


def _wrappable(stmt: ast.stmt, body: list[ast.stmt]) -> bool:
    """A statement that can move 4 columns right unchanged: alone on its lines, no string across lines."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Return)):
        return False
    last = stmt.end_lineno or stmt.lineno
    if any(o is not stmt and o.lineno <= last and (o.end_lineno or o.lineno) >= stmt.lineno for o in body):
        return False
    return not any(isinstance(n, (ast.Constant, ast.JoinedStr)) and getattr(n, "end_lineno", n.lineno) != n.lineno
                   for n in ast.walk(stmt))


def places(code: str) -> list[tuple[ast.stmt, list[ast.stmt]]]:
    """(a statement of construct that plays, the waits right after it) for each scene class, in order."""
    tree = syntax.parse(code)
    out = []
    for cls, construct in _scene_constructs(tree):
        body, helpers = construct.body, _playing_methods(cls)
        for i, stmt in enumerate(body):
            if not (_plays(stmt) or _helper_calls(stmt, helpers)) or _is_wait(stmt) or not _wrappable(stmt, body):
                continue
            waits = []
            for nxt in body[i + 1:]:
                if not (_is_wait(nxt) and _wrappable(nxt, body)):
                    break
                waits.append(nxt)
            out.append((stmt, waits))
    return out


# -- what is said, from the scene itself ---------------------------------------------------------------

class _Scope:
    """Names bound to a constructor call in the module or in construct (the last binding wins)."""

    def __init__(self, tree: ast.Module):
        self.values: dict[str, ast.expr] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    self.values[target.id] = node.value
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for t, v in zip(target.elts, node.value.elts):
                        if isinstance(t, ast.Name):
                            self.values[t.id] = v

    def resolve(self, node: Optional[ast.expr], depth: int = 0) -> Optional[ast.expr]:
        while isinstance(node, ast.Name) and node.id in self.values and depth < 5:
            node, depth = self.values[node.id], depth + 1
        if isinstance(node, ast.Subscript):  # equation[4]: the formula it is part of
            return self.resolve(node.value, depth + 1)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and depth < 5 and \
                node.func.attr in ("copy", "scale", "move_to", "next_to", "to_edge", "shift", "set_color"):
            return self.resolve(node.func.value, depth + 1)  # Text("a").scale(2): still the text "a"
        return node


def _string(node: ast.expr, scope: _Scope, whole: bool = False) -> Optional[str]:
    """A string argument as shown: a literal, or an f-string whose values are named constants; a value
    known only at run time is left out (`whole`: then the string is not said at all: a formula with a hole
    reads as nonsense). None: not a string known before the run."""
    node = scope.resolve(node) or node
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float)) and not isinstance(node.value, bool):
        return str(node.value)
    if isinstance(node, ast.JoinedStr):
        parts = [_string(v.value if isinstance(v, ast.FormattedValue) else v, scope) for v in node.values]
        return None if whole and None in parts else "".join(p or "" for p in parts)
    return None


def _strings(call: ast.Call, scope: _Scope, whole: bool = False) -> list[str]:
    found = [_string(a, scope, whole) for a in call.args]
    return [] if whole and None in found else [s for s in found if s and s.strip()]


def _said(node: Optional[ast.expr], scope: _Scope) -> tuple[str, str]:
    """(words to say, a noun phrase) for a mobject expression; either may be ''."""
    node = scope.resolve(node)
    if not isinstance(node, ast.Call):
        return "", ""
    name = func_name(node) or ""
    if name in TEXTS:
        return " ".join(" ".join(_strings(node, scope)).split()), "the text"
    if name in MATH:
        words = math_words(" ".join(_strings(node, scope, whole=True)))
        return words, "the formula"
    if name in ("VGroup", "Group") and len(node.args) == 1 and isinstance(node.args[0], ast.Starred):
        inner = node.args[0].value  # VGroup(*[Dot(p) for p in X]): many of one kind
        words, noun = _said(inner.elt if isinstance(inner, (ast.ListComp, ast.GeneratorExp)) else None, scope)
        return "", PLURAL.get(noun, "")
    if name in ("VGroup", "Group"):
        parts = [_said(a, scope) for a in node.args[:4]]
        said = [p[0] for p in parts if p[0]]
        return ("; ".join(said), "") if said else ("", next((p[1] for p in parts if p[1]), ""))
    return "", NOUNS.get(name, "")


def _sentences(anim: ast.expr, scope: _Scope) -> list[str]:
    """What to say for one animation argument of self.play."""
    if isinstance(anim, ast.Starred):
        anim = anim.value
    if isinstance(anim, (ast.ListComp, ast.GeneratorExp)):
        return _sentences(anim.elt, scope)
    if isinstance(anim, (ast.List, ast.Tuple)):
        return [s for a in anim.elts[:4] for s in _sentences(a, scope)]
    if not isinstance(anim, ast.Call):
        return []
    kind = func_name(anim) or ""
    if isinstance(anim.func, ast.Attribute) and _is_animate(anim.func.value):  # x.animate.shift(...)
        words, noun = _said(_animated(anim.func.value), scope)
        verb = MOVES.get(anim.func.attr, "changes")
        return [f"{_cap(noun)} {verb}."] if noun and not words else []
    if kind in GROUPS:
        return [s for a in anim.args[:6] for s in _sentences(a, scope)]
    if kind in QUIET:
        return []
    first = anim.args[0] if anim.args else None
    words, noun = _said(first, scope)
    if kind in CHANGE:
        to_words, to_noun = _said(anim.args[1] if len(anim.args) > 1 else None, scope)
        if to_words:
            return [_sentence(to_words)]
        return [f"{_cap(noun)} turns into {to_noun}."] if noun and to_noun else []
    if kind in POINT:
        return [f"Look at {words or noun}."] if (words or noun) else []
    if kind in APPEAR:
        if words:
            return [_sentence(words)]
        if noun and noun not in UNSAID:  # "Here is the text." says nothing the picture does not
            return [f"We draw {noun}." if kind in DRAW else f"Here {'are' if noun in PLURAL.values() else 'is'} {noun}."]
    return []


def _sentence(words: str) -> str:
    return words.rstrip(" .:;,") + "."


def _is_animate(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "animate" or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "animate")


def _animated(node: ast.expr) -> Optional[ast.expr]:
    return node.value if isinstance(node, ast.Attribute) else getattr(getattr(node, "func", None), "value", None)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _clip(words: str) -> str:
    parts = words.split()
    return " ".join(parts[:MAX_WORDS]) + ("…" if len(parts) > MAX_WORDS else "")


def write(code: str) -> list[Segment]:
    """The narration written from the scene's own texts and animations (deterministic): one segment per
    statement that plays something worth saying."""
    try:
        tree = syntax.parse(code)
    except (SyntaxError, ValueError):
        return []
    scope = _Scope(tree)
    helpers = set().union(*[_playing_methods(cls) for cls, _ in _scene_constructs(tree)])
    out: list[Segment] = []
    for stmt, waits in places(code):
        said: list[str] = []
        for play in _plays(stmt):
            for arg in play.args:
                said += [s for s in _sentences(arg, scope) if s not in said]
        for call in _helper_calls(stmt, helpers):  # self.say("...") shows its text: it is said too
            said += [_sentence(t) for t in _strings(call, scope) if len(t.split()) >= 2 and _sentence(t) not in said]
        text = _clip(" ".join(_cap(s) for s in said[:3]))
        if text and text not in {o.text for o in out}:  # said once: a repeat would only slow the picture
            out.append(Segment(stmt.lineno, (waits[-1] if waits else stmt).end_lineno or stmt.lineno, text))
    return out[:MAX_SEGMENTS]


def statements(code: str) -> list[tuple[int, str]]:
    """(line, source) of each statement that could be narrated: what a model is shown to write for."""
    lines = code.splitlines()
    return [(stmt.lineno, "\n".join(lines[stmt.lineno - 1:stmt.end_lineno])) for stmt, _ in places(code)]


def with_texts(code: str, texts: dict[int, str]) -> list[Segment]:
    """Segments for texts given by statement line (a model's): lines that are not narrated statements, and
    empty texts, are left out."""
    ends = {stmt.lineno: (waits[-1] if waits else stmt).end_lineno or stmt.lineno for stmt, waits in places(code)}
    return [Segment(line, ends[line], _clip(" ".join(str(t).split()))) for line, t in sorted(texts.items())
            if line in ends and str(t).strip()][:MAX_SEGMENTS]


SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def sentences(paragraph: str) -> list[str]:
    """A paragraph (a storyboard's narration) as its sentences, in order."""
    return [s for s in (" ".join(p.split()) for p in SENTENCE_END.split(paragraph or "")) if s]


def spread(code: str, paragraph: str) -> dict[int, str]:
    """A written narration (a lesson scene's storyboard paragraph) over the scene's narratable statements,
    in order, for `with_texts`: one sentence per statement while there are statements enough (spaced out
    evenly), else consecutive sentences grouped so every statement gets a share. {}: nothing to say, or
    nothing that plays."""
    said, lines = sentences(paragraph), [line for line, _ in statements(code)]
    if not said or not lines:
        return {}
    n, k = len(lines), len(said)
    if k <= n:  # sentence i at statement i*n/k: the speech spreads over the whole scene
        return {lines[i * n // k]: s for i, s in enumerate(said)}
    groups: dict[int, list[str]] = {}
    for i, s in enumerate(said):  # sentence i with statement i*n/k: each statement a run of sentences
        groups.setdefault(lines[i * n // k], []).append(s)
    return {line: " ".join(g) for line, g in groups.items()}


# -- the rewrite --------------------------------------------------------------------------------------

def has_voiceover(code: str) -> bool:
    return bool(VOICEOVER_CALL.search(code))


def rewrite(code: str, segments: list[Segment]) -> Narrated:
    """The code with each segment's lines in a voiceover block and its scene on the stand-in's base."""
    if not segments or has_voiceover(code):
        return Narrated(code, [], [])
    tree = syntax.parse(code)
    lines = code.splitlines(keepends=True)
    starts = line_starts(code)
    by_line = {s.line: s for s in segments}
    out: list[str] = []
    i = 0
    while i < len(lines):
        seg = by_line.get(i + 1)
        if seg is None:
            out.append(lines[i])
            i += 1
            continue
        ind = indent_of(code, starts, seg.line)
        out.append(f"{ind}with self.voiceover(text={seg.text!r}) as tracker:\n")
        for line in lines[seg.line - 1:seg.end_line]:
            out.append(("    " + line) if line.strip() else line)
        i = seg.end_line
    new = "".join(out)
    if not new.endswith("\n"):
        new += "\n"
    new = _rebase(new, {cls.name for cls, c in _scene_constructs(tree)
                        if any(c.lineno <= s.line <= (c.end_lineno or 0) for s in segments)})
    new = _import(new)
    fixes = [Fix(f"narration added: {len(segments)} voiceover block(s), each as long as its speech", None)]
    return Narrated(new, list(segments), fixes)


def _rebase(code: str, classes: set[str]) -> str:
    tree = syntax.parse(code)
    starts = line_starts(code)
    edits = []
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and node.name in classes and node.bases):
            continue
        first = node.bases[0]
        a = starts[first.lineno - 1] + first.col_offset
        if isinstance(first, ast.Name) and first.id == "Scene":
            edits.append((a, a + len("Scene"), BASE))
        elif not (isinstance(first, ast.Name) and first.id == BASE):
            edits.append((a, a, BASE + ", "))
    for a, b, text in sorted(edits, reverse=True):
        code = code[:a] + text + code[b:]
    return code


def _import(code: str) -> str:
    tree = syntax.parse(code)
    last = max((n.end_lineno or n.lineno for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))), default=0)
    lines = code.splitlines(keepends=True)
    return "".join(lines[:last]) + IMPORT + "".join(lines[last:])


def narrate(code: str, texts: Optional[dict[int, str]] = None) -> Narrated:
    """The scene narrated: with the model's texts by statement line when given, else written from the scene."""
    if has_voiceover(code):
        return Narrated(code, [], [])
    try:
        segments = with_texts(code, texts) if texts else write(code)
    except (SyntaxError, ValueError):
        return Narrated(code, [], [])
    return rewrite(code, segments)
