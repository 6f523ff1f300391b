"""Repair driven by the error: what the scene raised, where, and what the installed Manim really offers.

Static fixes (sanitize) handle shapes we know; the long tail of model code fails each in its own slightly
different way. When validation stops on an exception, `propose(code, error)` reads its *shape* (an unknown
keyword, a missing method, a wrong number of arguments, a name Manim does not have, a value Manim refuses),
looks at the failing line's AST and at Manim's real signatures and attributes (`manim_api`), and returns one
general repair as a `Fix(what, line)`, or None. It knows no particular scene: each rule is a shape.

A repair is a guess. The caller (`scene/error_repair.py`) validates again and keeps it only if the scene
got further; otherwise the original error, with its line, is what the person and the model see.
"""
from __future__ import annotations

import ast
import difflib
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Optional

from text_to_manim.events import CodeError, Fix
from text_to_manim.fixes import manim_api
from text_to_manim.fixes.edits import Edit, apply, func_name, indent_of, line_starts, parse, span, src
from text_to_manim.fixes.options import kw_text

CLOSE_ENOUGH = 0.75  # difflib ratio of "what the author meant": add_coordinate_labels ~ add_coordinates
UNEXPECTED_KEYWORD = re.compile(r"(?:(\w+)\.)?(\w+)\(\) got an unexpected keyword argument '(\w+)'")
NO_ATTRIBUTE = re.compile(r"'?(\w+)'? object has no attribute '(\w+)'")
NOT_DEFINED = re.compile(r"name '(\w+)' is not defined")
TOO_MANY_POSITIONAL = re.compile(
    r"(\w+)\(\) takes (?:from \d+ to )?(\d+) positional arguments? but (\d+) (?:were|was) given")
SIGNATURE_HINT = re.compile(r"current signatures?: (\w+)\(")
NOT_AN_ANIMATION = re.compile(r"Unexpected argument (\w+) passed to Scene\.play\(\)")
NOT_VECTORIZED_GROUP = "can be added as submobjects of VGroup"
MISSING_POSITIONAL = re.compile(r"(\w+)\(\) missing (\d+) required positional argument")
NOT_A_COLOUR = "ManimColor only accepts"
# numpy's words when a 2-D point meets Manim's 3-D ones: "… from shape (1,2) into shape (1,3)", "shapes (2,) (3,)"
FLAT_POINT = re.compile(r"broadcast.*(?:\(\d+,\s*2\)|\(2,\))")
COLOUR_CALLS = frozenset({"set_color", "set_fill", "set_stroke", "set_colors", "set_color_by_gradient", "color_gradient",
                          "interpolate_color", "ManimColor", "rgb_to_color", "set_background_stroke"})
POINT_KEYWORDS = re.compile(r"(^|_)(point|points|start|end|pos|position|center|corner|direction|vector)$")
NOT_VECTORIZED_CREATE = re.compile(
    r"\b(Create|Write|DrawBorderThenFill|Uncreate|Unwrite) only works for (?:VMobjects|vectorized Mobjects)")
STAND_IN = '''

class {name}(VGroup):
    """Stand-in: Manim Community has no {name}. A labelled box where it would be."""

    def __init__(self, *args, **kwargs):
        super().__init__(Rectangle(width=3, height=2, color=GREY), Text("{name}", font_size=28, color=GREY))
'''
ANIMATION_STAND_IN = '''

class {name}(FadeIn):
    """Stand-in: Manim Community has no {name}. The mobject fades in instead."""

    def __init__(self, mobject, *args, **kwargs):
        super().__init__(mobject, **{{k: v for k, v in kwargs.items() if k in ("run_time", "rate_func", "lag_ratio")}})
'''


@dataclass(frozen=True)
class Repair:
    code: str
    fix: Fix


@dataclass(frozen=True)
class Site:
    """The failing statement: the parsed code, its line offsets and the nodes on the error's line."""

    code: str
    tree: ast.Module
    line: int
    statement: Optional[ast.stmt]

    def nodes(self, kind: type) -> list:
        """Nodes of `kind` inside the failing statement that touch the error's line, innermost last."""
        root = self.statement or self.tree
        return [n for n in ast.walk(root) if isinstance(n, kind)
                and getattr(n, "lineno") <= self.line <= (getattr(n, "end_lineno", None) or getattr(n, "lineno"))]

    def edit(self, edits: list[Edit], what: str) -> Repair:
        fixes: list[Fix] = []
        new = apply(self.code, edits, fixes)
        return Repair(new, Fix(what, self.line))

    def replace(self, node: ast.AST, text: str, what: str) -> Repair:
        a, b = span(line_starts(self.code), node)
        return self.edit([Edit(a, b, text)], what)


def propose(code: str, error: CodeError) -> Iterator[Repair]:
    """Repairs for the error's shape, the likeliest first; none when no rule applies or the code does not
    parse. The caller tries them in order and keeps the first that gets the scene further."""
    if not error.line:
        return
    tree = parse(code)
    if tree is None:
        return
    site = Site(code, tree, error.line, _statement_at(tree, error.line))
    for rule in RULES:
        try:
            repairs = [r for r in rule(site, error) if r is not None]
        except (ValueError, IndexError, AttributeError):  # a rule that cannot read this code passes
            repairs = []
        yield from (r for r in repairs if r.code != code and parse(r.code) is not None)


def _statement_at(tree: ast.Module, line: int) -> Optional[ast.stmt]:
    """The innermost simple statement spanning `line`."""
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno) \
                and not hasattr(node, "body"):
            if best is None or node.lineno >= best.lineno:
                best = node
    return best


def _without_keyword(site: Site, call: ast.Call, drop: str, rename: Optional[str]) -> str:
    args = [src(site.code, a) for a in call.args]
    for kw in call.keywords:
        if kw.arg == drop:
            if rename:
                args.append(f"{rename}={src(site.code, kw.value)}")
        else:
            args.append(kw_text(site.code, kw))
    return f"{src(site.code, call.func)}({', '.join(args)})"


def _parameters(callee: str) -> Optional[set[str]]:
    """Keyword parameters of a Manim class, or of a Mobject method by that name."""
    known = manim_api.accepted_keywords(callee)
    if known is not None:
        return set(known)
    for owner in manim_api.method_owners(callee)[:1]:
        try:
            params = inspect.signature(getattr(manim_api.lookup(owner), callee)).parameters.values()
        except (TypeError, ValueError):
            return None
        return {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"}
    return None


def _closest(name: str, candidates) -> Optional[str]:
    """The candidate the author meant: one that ends with or contains the name (opacity -> fill_opacity), or
    a near spelling."""
    candidates = sorted(candidates)
    containing = [c for c in candidates if c.endswith("_" + name) or c.startswith(name + "_")]
    if len(containing) == 1:
        return containing[0]
    got = difflib.get_close_matches(name, candidates, n=1, cutoff=CLOSE_ENOUGH)
    return got[0] if got else None


def unexpected_keyword(site: Site, error: CodeError) -> list[Repair]:
    """A keyword the callee does not take: renamed to its closest real parameter, else dropped. When no call on
    the line passes it, it came through an options dict (`axis_config={"label_size": 20}` reaches NumberLine,
    then Mobject): the dict's key is renamed or dropped the same way, against the class the error names."""
    m = UNEXPECTED_KEYWORD.search(error.message) if error.kind == "TypeError" else None  # a hint may quote one
    if not m:
        return []
    owner, method, keyword = m.groups()
    for call in reversed(site.nodes(ast.Call)):
        if not any(kw.arg == keyword for kw in call.keywords):
            continue
        callee = func_name(call) or method
        params = _parameters(callee) or set()
        target = _closest(keyword, params - {kw.arg for kw in call.keywords})
        what = (f"{callee}(…, {keyword}=…): {callee} takes no {keyword}; " +
                (f"renamed to {target}" if target else "dropped it (the installed Manim has no such option)"))
        return [site.replace(call, _without_keyword(site, call, keyword, target), what)]
    return _option_key(site, owner, method, keyword)


def _option_key(site: Site, owner: Optional[str], method: str, keyword: str) -> list[Repair]:
    dicts = [d for d in ast.walk(site.statement) if isinstance(d, ast.Dict)] if site.statement else []  # any line of it
    keys = [(d, i) for d in dicts for i, k in enumerate(d.keys) if isinstance(k, ast.Constant) and k.value == keyword]
    if not keys:
        return []
    d, i = keys[-1]
    params = (manim_api.accepted_keywords(owner) if owner and method == "__init__" else
              manim_api.parameters_of(owner, method) if owner else None) or _parameters(method) or set()
    target = _closest(keyword, set(params) - {k.value for k in d.keys if isinstance(k, ast.Constant)})
    starts = line_starts(site.code)
    key = d.keys[i]
    assert key is not None
    if target:
        edit = Edit(*span(starts, key), repr(target))
    else:  # the pair and the comma that follows it (or precedes it, when it is last)
        a, _ = span(starts, key)
        _, b = span(starts, d.values[i])
        if i + 1 < len(d.keys) and d.keys[i + 1] is not None:
            b = span(starts, d.keys[i + 1])[0]  # type: ignore[arg-type]
        elif i > 0:
            a = span(starts, d.values[i - 1])[1]
        edit = Edit(a, b, "")
    what = (f"option {keyword!r}: {owner or method} takes no {keyword}; " +
            (f"renamed to {target!r}" if target else "dropped it (the installed Manim has no such option)"))
    return [site.edit([edit], what)]


HINTED = re.compile(r"; it has ([\w, ]+)\)")
MAX_NAME_CANDIDATES = 4  # each costs a validation


def _called(site: Site, node: ast.Attribute) -> Optional[ast.Call]:
    """The call whose function is `node` (`obj.attr(…)`), or None when the attribute is only read."""
    return next((c for c in site.nodes(ast.Call) if c.func is node), None)


def _candidates(owner: str, attr: str, error: CodeError, call: Optional[ast.Call], chained: bool = False) -> list[str]:
    """Real attributes of `owner` that `attr` may mean: the ones the validation named (read by the runner from
    the live object: a scene's own classes too), then Manim's near names; a call keeps only those its arguments
    fit (plot_line(f) is plot(f), not plot_line_graph(xs, ys)), a chain (`camera.frame.set_euler_angles`) no
    plain value (frame_center is an array: it has no methods to chain)."""
    hinted = HINTED.search(error.message)
    named = [n.strip() for n in hinted.group(1).split(",")] if hinted else []
    names = [n for n in dict.fromkeys(named + manim_api.close_attributes(owner, attr)) if n != attr
             and not (chained and manim_api.is_value(owner, n))]
    if call is None or any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return names
    return [n for n in names if manim_api.accepts(owner, n, len(call.args), [k.arg for k in call.keywords if k.arg])]


def no_attribute(site: Site, error: CodeError) -> list[Repair]:
    """An attribute the object does not have: the real one the author meant (a near name whose signature
    fits the call), Manim's `add_x` = add what `get_x` makes, a `get_x()` that is a property `x` or an
    `x` that is a getter `get_x()`, a parametric object's own `func` under another name (u2p(u, v)); else,
    where the statement only decorates, the statement is left out."""
    m = NO_ATTRIBUTE.search(error.message)
    if not m:
        return []
    owner, attr = m.groups()
    uses = [n for n in site.nodes(ast.Attribute) if n.attr == attr]
    if not uses:
        return []
    node = uses[-1]
    call = _called(site, node)
    receiver = src(site.code, node.value)
    real = set(manim_api.attributes(owner)) | set(_candidates(owner, attr, error, None))
    repairs = []
    made_by = "get_" + attr[4:] if attr.startswith("add_") else ""
    if made_by in real and call is not None and isinstance(site.statement, ast.Expr) and site.statement.value is call \
            and "add" in real and isinstance(node.value, (ast.Name, ast.Attribute)):
        args = src(site.code, call)[len(src(site.code, call.func)):]
        repairs.append(site.replace(call, f"{receiver}.add({receiver}.{made_by}{args})",
                                    f".{attr}(…) -> .add(.{made_by}(…)) ({owner} has no {attr}; {made_by} makes it)"))
    chained = any(isinstance(n, ast.Attribute) and n.value is node for n in ast.walk(site.statement or site.tree))
    for target in _candidates(owner, attr, error, call, chained)[:MAX_NAME_CANDIDATES]:
        what = f".{attr} -> .{target} ({owner} has no {attr}; it has {target})"
        repairs.append(site.replace(node, f"{receiver}.{target}", what))
    plain = attr[4:] if attr.startswith("get_") else ""
    if plain in real and call is not None and not call.args and not call.keywords:
        repairs.append(site.replace(call, f"{receiver}.{plain}", f".{attr}() -> .{plain} ({owner} has it as an attribute)"))
    if "get_" + attr in real and call is None:
        repairs.append(site.replace(node, f"{receiver}.get_{attr}()", f".{attr} -> .get_{attr}() ({owner} has a getter)"))
    if call is not None and "func" in real and call.args and not call.keywords \
            and manim_api.accepts(owner, "func", len(call.args), []):
        repairs.append(site.replace(node, f"{receiver}.func",
                                    f".{attr}(…) -> .func(…) ({owner} has no {attr}; its own function gives the point)"))
    return repairs + [r for r in [_drop_statement(site, f"{owner} has no {attr}")] if r]


def _drop_statement(site: Site, why: str) -> Optional[Repair]:
    """A statement that only decorates (an expression: a call for its effect) is left out, with the reason
    kept as a comment; an assignment is not: later lines need its value."""
    stmt = site.statement
    if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
        return None
    starts = line_starts(site.code)
    line = src(site.code, stmt).splitlines()[0][:60]
    text = f"pass  # left out: {line} ({why})"
    a, b = span(starts, stmt)
    return site.edit([Edit(a, b, text)], f"left out `{line}`: {why}; nothing else depends on it")


CAMERA_WORDS = frozenset({"camera", "frame"})


def _three_d_scene(site: Site) -> bool:
    """Whether the class around the failing line derives from a ThreeDScene (by name: a scene's own base too)."""
    return any(isinstance(c, ast.ClassDef) and c.lineno <= site.line <= (c.end_lineno or c.lineno)
               and any((func_name(ast.Call(b, [], [])) or "").endswith("ThreeDScene") for b in c.bases)
               for c in ast.walk(site.tree))


def camera_orientation(site: Site, error: CodeError) -> list[Repair]:
    """Another Manim's 3-D camera calls in a ThreeDScene (`self.camera.frame.set_euler_angles(theta=…)`,
    `self.play(self.camera.animate.set_phi(…))`, `frame.increment_theta(…)`): the angles they name are read by
    the names of ThreeDScene.set_camera_orientation's real parameters (a keyword, `set_x(v)`, `increment_x(v)`)
    and given to it, or to move_camera when the call was played."""
    stmt = site.statement
    if error.kind != "AttributeError" or not isinstance(stmt, ast.Expr) or not _three_d_scene(site):
        return []
    words = {n.attr for n in ast.walk(stmt) if isinstance(n, ast.Attribute)} | \
        {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
    params = manim_api.parameters_of("ThreeDScene", "set_camera_orientation")
    if not words & CAMERA_WORDS or not params:
        return []
    angles: dict[str, str] = {}
    for call in (c for c in ast.walk(stmt) if isinstance(c, ast.Call)):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        angles.update({k.arg: src(site.code, k.value) for k in call.keywords if k.arg in params and name})
        for verb in ("", "set_", "increment_"):
            param = name[len(verb):] if name.startswith(verb) else ""
            if param in params and len(call.args) == 1 and (verb or name in params):
                value = src(site.code, call.args[0])
                angles[param] = f"self.camera.get_{param}() + {value}" if verb == "increment_" else value
    if not angles:
        return []
    kws = ", ".join(f"{k}={v}" for k, v in angles.items())
    play = stmt.value if isinstance(stmt.value, ast.Call) and _is_play(stmt.value) else None
    if play is not None:
        extra = "".join(", " + kw_text(site.code, k) for k in play.keywords)
        text, how = f"self.move_camera({kws}{extra})", "move_camera"
    else:
        text, how = f"self.set_camera_orientation({kws})", "set_camera_orientation"
    return [site.replace(stmt, text, f"another Manim's camera call -> self.{how}({', '.join(k + '=…' for k in angles)}): "
                                     f"ThreeDScene's own way to turn the camera")]


def updater_time(site: Site, error: CodeError) -> list[Repair]:
    """`mob.add_updater(lambda m: m.rotate(dt))`: an updater reading `dt` it never declared. Manim passes dt to
    an updater whose signature asks for it, so the innermost function around the line gets the parameter."""
    m = NOT_DEFINED.search(error.message)
    if not m or m.group(1) != "dt":
        return []
    around = [n for n in ast.walk(site.tree) if isinstance(n, (ast.Lambda, ast.FunctionDef))
              and n.lineno <= site.line <= (n.end_lineno or n.lineno) and len(n.args.args) == 1
              and not n.args.vararg and not n.args.kwonlyargs]
    if not around:
        return []
    func = max(around, key=lambda n: (n.lineno, n.col_offset))
    param = func.args.args[0]
    _, end = span(line_starts(site.code), param)
    return [site.edit([Edit(end, end, ", dt")], "the updater reads dt but did not take it: dt added to its parameters")]


def not_defined(site: Site, error: CodeError) -> list[Repair]:
    m = NOT_DEFINED.search(error.message)
    if not m:
        return []
    name = m.group(1)
    loads = [n for n in ast.walk(site.tree) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
    slip = manim_api.close_name(name)
    if slip:  # kept only if the scene gets further (the caller checks): `circle` is rarely `Circle`
        starts = line_starts(site.code)
        edits = [Edit(*span(starts, n), slip) for n in loads]
        return [site.edit(edits, f"{name} -> {slip} (Manim's spelling of a name the code never defines)")]
    called = [n for n in ast.walk(site.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
              and n.func.id == name]
    if name[:1].isupper() and not name.isupper() and called:
        played = {id(n) for c in ast.walk(site.tree) if isinstance(c, ast.Call) and _is_play(c)
                  for a in c.args for n in ast.walk(a)}
        if any(id(c) in played for c in called):  # an animation from another version: it still plays
            return [_insert_after_imports(site, ANIMATION_STAND_IN.format(name=name),
                                          f"{name}: Manim Community has no {name}; FadeIn plays in its place")]
        return [_insert_after_imports(site, STAND_IN.format(name=name),
                                      f"{name}: Manim Community has no {name}; a labelled stand-in takes its place")]
    if name.isupper() and ("COLOR" in name or "COLOUR" in name):
        colour = manim_api.nearest_colour(name) or "WHITE"
        return [_insert_after_imports(site, f"\n{name} = {colour}  # Manim has no {name}\n",
                                      f"{name}: Manim has no such colour; {colour} stands in")]
    return []


def _insert_after_imports(site: Site, text: str, what: str) -> Repair:
    last = max((n.end_lineno or n.lineno for n in site.tree.body if isinstance(n, (ast.Import, ast.ImportFrom))),
               default=0)
    starts = line_starts(site.code)
    pos = starts[last] if last < len(starts) else len(site.code)
    fixes: list[Fix] = []
    new = apply(site.code, [Edit(pos, pos, text)], fixes)
    return Repair(new, Fix(what, last + 1))


def too_many_positional(site: Site, error: CodeError) -> list[Repair]:
    m = TOO_MANY_POSITIONAL.search(error.message) if error.kind == "TypeError" else None  # a hint may quote one
    if not m:
        return []
    name, takes, given = m.group(1), int(m.group(2)), int(m.group(3))
    hinted = SIGNATURE_HINT.search(error.message)
    wanted = {name} | ({hinted.group(1)} if hinted else set())
    for call in reversed(site.nodes(ast.Call)):
        callee = func_name(call)
        if callee not in wanted:
            continue
        # a method's count and a constructor's (`Square.__init__() takes …`) include self
        counts_self = isinstance(call.func, ast.Attribute) or name == "__init__"
        keep = takes - (1 if counts_self else 0)
        if len(call.args) != given - (1 if counts_self else 0) or keep < 0 or keep >= len(call.args):
            continue
        args = [src(site.code, a) for a in call.args[:keep]]
        args += [kw_text(site.code, kw) for kw in call.keywords]
        dropped = ", ".join(src(site.code, a) for a in call.args[keep:])
        what = f"{callee}() takes {keep} argument{'s' if keep != 1 else ''} here; dropped {dropped}"
        return [site.replace(call, f"{src(site.code, call.func)}({', '.join(args)})", what)]
    return []


def _is_play(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "play"


def none_in_play(site: Site, error: CodeError) -> list[Repair]:
    """`self.play(anim, self.wait(1))` or `self.play(anim, None)`: the calls run after the play, the Nones go;
    a list spread into play (`*[… else None for …]`, a helper that returns nothing) loses its Nones, and the
    play runs only if an animation is left."""
    if not NOT_AN_ANIMATION.search(error.message):
        return []
    for call in site.nodes(ast.Call):
        if not _is_play(call) or site.statement is None or not isinstance(site.statement, ast.Expr):
            continue
        keep, after, spread = [], [], False
        for arg in call.args:
            if isinstance(arg, ast.Constant) and arg.value is None:
                continue
            if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and \
                    isinstance(arg.func.value, ast.Name) and arg.func.value.id == "self":
                after.append(src(site.code, arg))  # self.wait(), self.add(…): not animations
            elif isinstance(arg, ast.Starred):
                spread = True
                keep.append(f"*[_a for _a in ({src(site.code, arg.value)}) if _a is not None]")
            else:
                keep.append(src(site.code, arg))
        if len(keep) == len(call.args) and not spread:
            continue
        starts = line_starts(site.code)
        indent = indent_of(site.code, starts, site.statement.lineno)
        kws = [kw_text(site.code, kw) for kw in call.keywords]
        if spread:  # evaluated once (its side effects happen), played only if an animation is left
            text = (f"_animations = [{', '.join(keep)}]\n{indent}if _animations:\n"
                    f"{indent}    {src(site.code, call.func)}(*_animations{''.join(', ' + k for k in kws)})")
        else:
            text = f"{src(site.code, call.func)}({', '.join(keep + kws)})" if keep else "pass"
        text += "".join(f"\n{indent}{a}" for a in after)
        what = "self.play() got a value that is not an animation" + (
            f"; {', '.join(after)} now runs after it" if after else
            "; the Nones are left out" if spread else "; it is left out")
        return [site.replace(site.statement, text, what)]
    return []


def not_vectorized(site: Site, error: CodeError) -> list[Repair]:
    """Images and other non-vector mobjects: Group instead of VGroup, FadeIn instead of Create/Write."""
    created = NOT_VECTORIZED_CREATE.search(error.message)
    old, new = (created.group(1), "FadeIn") if created else ("VGroup", "Group")
    if not created and NOT_VECTORIZED_GROUP not in error.message:
        return []
    names = [n for n in site.nodes(ast.Name) if n.id == old]
    if not names:
        return []
    starts = line_starts(site.code)
    return [site.edit([Edit(*span(starts, n), new) for n in names],
                      f"{old} -> {new} (it holds an image or another mobject that is not a vector shape)")]


def missing_positional(site: Site, error: CodeError) -> list[Repair]:
    """`mob.remove_updater()`, `self.bring_to_front()`: a call for its effect that lacks what it acts on is
    left out (a call whose value is used is not: later lines need it)."""
    m = MISSING_POSITIONAL.search(error.message) if error.kind == "TypeError" else None  # a hint may quote one
    if not m:
        return []
    return [r for r in [_drop_statement(site, f"{m.group(1)}() needs {m.group(2)} more argument(s) it was not given")] if r]


def _related(site: Site) -> list[ast.AST]:
    """The failing statement and the assignments, above it, of the names it reads: where a value it uses was
    written (`pts = [(0, 0), (1, 2)]` two lines before `Polygon(*pts)`)."""
    if site.statement is None:
        return []
    read = {n.id for n in ast.walk(site.statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return [site.statement] + _assignments(site, read)


def _assignments(site: Site, names: set[str]) -> list[ast.AST]:
    """Assignments to any of `names` above the failing statement."""
    assert site.statement is not None
    found: list[ast.AST] = []
    for node in ast.walk(site.tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno < site.statement.lineno:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                found.append(node)
    return found


def _numbers(node: ast.AST) -> Optional[list[ast.expr]]:
    """The elements of a list/tuple display of number literals, else None."""
    if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
        return None
    plain = [e.operand if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub) else e for e in node.elts]
    ok = all(isinstance(e, ast.Constant) and isinstance(e.value, (int, float)) and not isinstance(e.value, bool)
             for e in plain)
    return node.elts if ok else None


def _display(node: ast.AST, elements: list[str]) -> str:
    return ("[{}]" if isinstance(node, ast.List) else "({})").format(", ".join(elements))


def _colour_values(root: ast.AST) -> Iterator[ast.AST]:
    """Expressions in a colour position: a colour keyword's value, the arguments of a colour call."""
    for node in ast.walk(root):
        if isinstance(node, ast.keyword) and node.arg and ("color" in node.arg or "colour" in node.arg):
            yield node.value
        elif isinstance(node, ast.Call) and func_name(node) in COLOUR_CALLS:
            yield from node.args


def _colour_text(parts: list[str]) -> str:
    """Numbers as colours Manim reads: 3 or 4 of them one colour (RGB, RGBA), a multiple of 3 that many colours
    (six numbers are the two ends of a gradient), fewer than 3 a grey of the first, otherwise its first three.
    A bare list of numbers is not enough: `set_color([r, g, b])` reads a list as several colours."""
    if len(parts) > 4 and len(parts) % 3 == 0:
        return "[" + ", ".join(_colour_text(parts[i:i + 3]) for i in range(0, len(parts), 3)) + "]"
    if len(parts) < 3:
        parts = [parts[0]] * 3
    return f"ManimColor([{', '.join(parts[:4] if len(parts) == 4 else parts[:3])}])"


def bad_colour(site: Site, error: CodeError) -> list[Repair]:
    """A colour given as numbers Manim refuses (a bare RGB list given to set_color, 2, 5 or 6 numbers), in the
    failing statement or where the names it passes as colours were assigned: made ManimColors."""
    if NOT_A_COLOUR not in error.message or site.statement is None:
        return []
    roots = list(_colour_values(site.statement))
    names = {n.id for r in roots for n in ast.walk(r) if isinstance(n, ast.Name)}
    roots += [a.value for a in _assignments(site, names) if isinstance(a, (ast.Assign, ast.AnnAssign)) and a.value]
    starts = line_starts(site.code)
    edits = []
    for root in roots:
        for node in ast.walk(root):
            numbers = _numbers(node)
            if numbers is not None:
                edits.append(Edit(*span(starts, node), _colour_text([src(site.code, e) for e in numbers])))
    if not edits:
        return []
    return [site.edit(edits, "a colour given as numbers Manim cannot read: made a ManimColor (six numbers: the two "
                             "ends of a gradient; fewer than three: a grey)")]


def _scalar(node: ast.expr) -> bool:
    return not isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Starred, ast.ListComp, ast.GeneratorExp,
                                 ast.JoinedStr)) and not (isinstance(node, ast.Constant) and isinstance(node.value, str))


def flat_points(site: Site, error: CodeError) -> list[Repair]:
    """2-D points where Manim wants 3-D ones (numpy's broadcast error): each two-element list or tuple in a
    point position (a positional argument, an element of one, a point keyword) gets z = 0, on the failing line
    and where the names it reads were assigned."""
    if not FLAT_POINT.search(error.message):
        return []
    skip: set[int] = set()  # keyword values that are not points: x_range=[0, 5], buff, scale …
    for root in _related(site):
        for node in ast.walk(root):
            if isinstance(node, ast.keyword) and not (node.arg and POINT_KEYWORDS.search(node.arg)):
                skip.update(id(n) for n in ast.walk(node.value))
            elif isinstance(node, ast.Subscript):
                skip.update(id(n) for n in ast.walk(node.slice))
    starts = line_starts(site.code)
    edits = [Edit(*span(starts, node), _display(node, [src(site.code, e) for e in node.elts] + ["0"]))
             for root in _related(site) for node in ast.walk(root)
             if isinstance(node, (ast.List, ast.Tuple)) and isinstance(getattr(node, "ctx", None), ast.Load)
             and id(node) not in skip and len(node.elts) == 2 and all(_scalar(e) for e in node.elts)]
    if not edits:
        return []
    return [site.edit(edits, f"2-D point{'s' if len(edits) > 1 else ''} given where Manim wants 3-D: z = 0 added")]


RULES: list[Callable[[Site, CodeError], list[Repair]]] = [
    unexpected_keyword, too_many_positional, missing_positional, none_in_play, not_vectorized, camera_orientation,
    no_attribute, updater_time, not_defined, bad_colour, flat_points]
