"""Keyword options and call shapes of the installed Manim: renamed or moved options (`Axes(x_axis_width=…)` ->
`x_length`, `include_numbers` -> `axis_config`, `Code(code=…)` -> `code_string` …), typos of an option, options the
installed Manim does not have (removed, with its current signature in the fix), removed methods and shapes
(`scale_in_place`, `get_area(graph, a, b)`, `FadeIn(m, UP)`)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional, Union

from text_to_manim import syntax
from text_to_manim.events import Fix
from text_to_manim.fixes import manim_api
from text_to_manim.fixes.edits import Edit, call_text, line_starts, rewrite, span, src
from text_to_manim.fixes.scopes import Names, manim_callable, names_in

# Per callable: option -> new option name ("" drops it), or (dict option, key) to move it into.
AXIS_KEYS = ("include_numbers", "include_tip", "numbers_to_include", "decimal_number_config", "font_size",
             "label_direction", "tick_size", "numbers_with_elongated_ticks", "exclude_origin_tick",
             "line_to_number_buff", "include_ticks", "tip_width", "tip_height", "numbers_to_exclude",
             "longer_tick_multiple", "numbers_to_show", "number_scale_val", "tip_length")

# an option's rule: its new name ("" = drop it), or (dict option, key) to move it into
Rule = Union[str, tuple[str, str]]

AXES_OPTIONS: dict[str, Rule] = {
    "x_axis_width": "x_length", "x_width": "x_length", "x_axis_length": "x_length", "width": "x_length",
    "y_axis_height": "y_length", "y_height": "y_length", "y_axis_length": "y_length", "height": "y_length",
    "z_axis_height": "z_length", "number_line_config": "axis_config", "axes_config": "axis_config",
    "axis_color": ("axis_config", "color"), "axes_color": ("axis_config", "color"),
    "x_labeled_nums": ("x_axis_config", "numbers_to_include"),
    "y_labeled_nums": ("y_axis_config", "numbers_to_include"),
    "x_axis_label": "", "y_axis_label": "", "graph_origin": "", "center_point": "", "x_tick_frequency": "",
    "y_tick_frequency": "", "x_leftmost_tick": "", "y_bottom_tick": "", "exclude_zero_label": "",
    **{k: ("axis_config", k) for k in AXIS_KEYS},
}

NUMBER_LINE_OPTIONS: dict[str, Rule] = {
    "numbers_to_show": "numbers_to_include", "big_tick_numbers": "numbers_with_elongated_ticks",
    "number_scale_val": "", "tick_frequency": "", "leftmost_tick": "", "number_at_center": "",
    "exclude_zero_from_default_numbers": "", "width": "length", "tip_length": "", "unit_length": "unit_size",
}

CODE_OPTIONS: dict[str, Rule] = {
    "code": "code_string", "file_name": "code_file", "style": "formatter_style",
    "insert_line_no": "add_line_numbers", "line_no_from": "line_numbers_from",
    "font": ("paragraph_config", "font"), "font_size": ("paragraph_config", "font_size"),
    "line_spacing": ("paragraph_config", "line_spacing"),
    "background_stroke_width": ("background_config", "stroke_width"),
    "background_stroke_color": ("background_config", "stroke_color"),
    "corner_radius": ("background_config", "corner_radius"), "margin": ("background_config", "buff"),
    "background_color": ("background_config", "fill_color"),
    "line_no_buff": "", "indentation_chars": "", "generate_html_file": "", "warn_missing_font": "",
    "scale_factor": "", "stroke_width": "",
}

OPTIONS: dict[str, dict[str, Rule]] = {
    "Axes": AXES_OPTIONS, "NumberPlane": AXES_OPTIONS, "ThreeDAxes": AXES_OPTIONS, "ComplexPlane": AXES_OPTIONS,
    "PolarPlane": AXES_OPTIONS, "NumberLine": NUMBER_LINE_OPTIONS, "UnitInterval": NUMBER_LINE_OPTIONS,
    "Code": CODE_OPTIONS,
    "Sector": {"outer_radius": "radius", "inner_radius": ""},
    "Torus": {"r1": "major_radius", "r2": "minor_radius"},
    "get_area": {"bounded": "bounded_graph", "area_color": "color", "dx_scaling": "", "fill_opacity": "opacity",
                 "fill_color": "color"},
    "get_riemann_rectangles": {"start_color": "color", "end_color": ""},
    "get_axis_labels": {"x_label_tex": "x_label", "y_label_tex": "y_label"},
    "get_graph_label": {"label_tex": "label", "x": "x_val"},
    "Text": {"size": "", "text_color": "color", "alignment": ""},
    "MarkupText": {"size": "", "text_color": "color"},
    "Arrow": {"tip_width": "", "tip_size": "tip_length", "max_tip_length": "max_tip_length_to_length_ratio"},
    "Vector": {"tip_width": "", "tip_size": "tip_length"},
    "DecimalNumber": {"num_decimal_points": "num_decimal_places", "decimal_places": "num_decimal_places"},
}

METHODS = {  # removed or renamed methods -> the current one
    "scale_in_place": "scale", "rotate_in_place": "rotate", "add_coordinate_labels": "add_coordinates",
    "get_parametric_curve": "plot_parametric_curve", "get_derivative_graph": "plot_derivative_graph",
    "get_implicit_curve": "plot_implicit_curve", "get_line_graph": "plot_line_graph",
    "get_h_line": "get_horizontal_line", "get_v_line": "get_vertical_line",
    "get_graph_label_tex": "get_graph_label", "set_stroke_width": "set_stroke",
}

SHIFT_ANIMATIONS = {"FadeIn", "FadeOut"}

DIRECTIONS = {"UP", "DOWN", "LEFT", "RIGHT", "UL", "UR", "DL", "DR", "IN", "OUT"}

MAX_SIGNATURE = 240  # characters of a signature quoted in a fix



def _dict_entry(text: Optional[str], key: str, value: str) -> str:
    """`text` (a dict literal, another expression or None) with key: value added."""
    if text is None:
        return "{" + f'"{key}": {value}' + "}"
    node = syntax.parse(text, mode="eval").body
    if isinstance(node, ast.Dict):
        items = [f"{src(text, k)}: {src(text, v)}" if k is not None else f"**{src(text, v)}"
                 for k, v in zip(node.keys, node.values)]
        return "{" + ", ".join(items + [f'"{key}": {value}']) + "}"
    return "{**" + text + f', "{key}": {value}' + "}"



def _option_fixes(code: str, node: ast.Call, name: str, accepted: Optional[frozenset]):
    """New keyword list for a call whose options need renaming/moving/removing, and what changed."""
    table = OPTIONS.get(name, {})
    kws = [k for k in node.keywords]
    present = {k.arg for k in kws if k.arg}
    # a table entry applies even where the option is accepted somewhere down the chain: Sector passes
    # outer_radius on itself, so Sector(outer_radius=…) fails with "multiple values"
    bad = [k for k in kws if k.arg and (k.arg in table or (accepted is not None and k.arg not in accepted))]
    if not bad:
        return None
    out: list[tuple[Optional[str], Optional[str]]] = []  # (name or None for **, value source or None for a dict)
    into: dict[str, Optional[ast.expr]] = {}
    moved: dict[str, list[tuple[str, str]]] = {}
    what: list[str] = []
    removed: list[str] = []
    for k in kws:
        if k.arg in {b.arg for b in bad}:
            rule = table.get(k.arg or "")
            close = manim_api.similar(k.arg, accepted) if k.arg and accepted and rule is None else None
            if isinstance(rule, tuple):
                moved.setdefault(rule[0], []).append((rule[1], src(code, k.value)))
                what.append(f"{k.arg}= -> {rule[0]}[{rule[1]!r}]")
            elif rule and rule not in present:
                out.append((rule, src(code, k.value)))
                what.append(f"{k.arg}= -> {rule}=")
            elif close and close not in present:
                out.append((close, src(code, k.value)))
                what.append(f"{k.arg}= -> {close}=")
            else:
                removed.append(str(k.arg))
            continue
        if k.arg is not None and k.arg in OPTIONS_DICTS:
            into[k.arg] = k.value
            out.append((k.arg, None))
        else:
            out.append((k.arg, src(code, k.value)))
    if removed:
        sig = manim_api.signature(name)
        sig = sig if len(sig) <= MAX_SIGNATURE else sig[:MAX_SIGNATURE].rsplit(",", 1)[0] + ", …)"
        what.append(f"removed {', '.join(k + '=' for k in removed)} (no such option in this Manim"
                    + (f"; {sig}" if sig else "") + ")")
    for dict_kw, entries in moved.items():
        if dict_kw not in into:
            out.append((dict_kw, None))
            into[dict_kw] = None
    result = []
    for kw, value in out:
        if value is None and kw is not None:  # a dict option receiving moved entries (or passing through)
            given = into[kw]
            text = src(code, given) if given is not None else None
            for key, val in moved.get(kw, []):
                text = _dict_entry(text, key, val)
            value = text
        result.append(f"{kw}={value}" if kw else f"**{value}")
    return result, what



OPTIONS_DICTS = {"axis_config", "x_axis_config", "y_axis_config", "z_axis_config", "paragraph_config",
                 "background_config"}



def _is_direction(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in DIRECTIONS
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Add, ast.Sub)):
        return _is_direction(node.left) or _is_direction(node.right)
    if isinstance(node, ast.UnaryOp):
        return _is_direction(node.operand)
    return False



def _is_colour(node: ast.expr) -> bool:
    """A colour by its look: a Manim colour name, `self.graph_color`, a "#hex" or colour string."""
    if isinstance(node, ast.Name):
        return node.id in manim_api.colours() or bool(manim_api.nearest_colour(node.id))
    if isinstance(node, ast.Attribute):
        return node.attr.endswith(("color", "colour"))
    return isinstance(node, ast.Constant) and isinstance(node.value, str)



def _code_string_arg(node: ast.Call, tree: ast.Module) -> bool:
    """Code(text, …): a first positional argument that is code, not a file name."""
    if not node.args or any(k.arg in ("code_string", "code_file", "code", "file_name") for k in node.keywords):
        return False
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return "\n" in arg.value or "(" in arg.value or " " in arg.value.strip()
    if isinstance(arg, ast.Name):
        for n in ast.walk(tree):
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == arg.id for t in n.targets):
                v = n.value
                return isinstance(v, ast.Constant) and isinstance(v.value, str) and "\n" in v.value
    return False



AXES_CLASSES = ("Axes", "NumberPlane", "ThreeDAxes", "ComplexPlane", "PolarPlane")

AXIS_DICTS = ("axis_config", "x_axis_config", "y_axis_config", "z_axis_config")

AXIS_DICT_KEYS = {**NUMBER_LINE_OPTIONS, "x_min": "", "x_max": "", "tick_frequency": "",
                  "include_tip": "include_tip", "numbers_to_show": "numbers_to_include"}



def _axis_dict_edits(code: str, node: ast.Call, starts) -> list[Edit]:
    """Old NumberLine keys inside an Axes' axis_config={...} literal: renamed, or removed."""
    edits = []
    for k in node.keywords:
        if k.arg not in AXIS_DICTS or not isinstance(k.value, ast.Dict):
            continue
        for key, value in zip(k.value.keys, k.value.values):
            if not (isinstance(key, ast.Constant) and key.value in AXIS_DICT_KEYS) or \
                    AXIS_DICT_KEYS[key.value] == key.value:
                continue
            new = AXIS_DICT_KEYS[key.value]
            if new:
                a, b = span(starts, key)
                quote = src(code, key)[:1]
                edits.append(Edit(a, b, f"{quote}{new}{quote}", f"{k.arg}: {key.value!r} -> {new!r} (NumberLine's "
                                                                 "option)"))
            else:
                a = span(starts, key)[0]
                b = span(starts, value)[1]
                rest = code[b:b + 2]
                b += 2 if rest == ", " else 1 if rest[:1] == "," else 0
                edits.append(Edit(a, b, "", f"{k.arg}: removed {key.value!r} (NumberLine has no such option)"))
    return edits



def kw_text(code: str, k: ast.keyword) -> str:
    return f"{k.arg}={src(code, k.value)}" if k.arg else f"**{src(code, k.value)}"



@dataclass
class _Call:
    """One call being rewritten: its parts as source text, and what was changed."""
    code: str
    node: ast.Call
    args: list
    func: Optional[str] = None  # None: unchanged
    kwargs: Optional[list] = None  # None: unchanged
    what: list = field(default_factory=list)

    def owner(self) -> str:
        """The source of what a method is called on (`axes` in `axes.get_graph(...)`)."""
        func = self.node.func
        return src(self.code, func.value) if isinstance(func, ast.Attribute) else ""

    def keywords(self) -> list[str]:
        if self.kwargs is None:
            self.kwargs = [kw_text(self.code, k) for k in self.node.keywords]
        return self.kwargs

    def given(self, name: str) -> bool:
        return any(k.arg == name for k in self.node.keywords)



def _always_redraw(c: _Call) -> None:
    """manimgl's always_redraw(func, *args, **kwargs) rebuilds func(*args); getters are meant live."""
    n = c.node
    if len(n.args) >= 2 or (n.args and n.keywords and not isinstance(n.args[0], ast.Lambda)):
        inner = [f"{x}()" if isinstance(a, ast.Attribute) and a.attr.startswith("get_") else x
                 for a, x in zip(n.args[1:], c.args[1:])] + c.keywords()
        c.args, c.kwargs = [f"lambda: {c.args[0]}({', '.join(inner)})"], []
        c.what.append("always_redraw(func, *args) -> always_redraw(lambda: func(...)) (manimgl's form)")



def _manim_options(c: _Call, cls: str, tree: ast.Module) -> None:
    fixed = _option_fixes(c.code, c.node, cls, manim_api.accepted_keywords(cls))
    if fixed:
        c.kwargs, more = fixed
        c.what += more
    if cls == "Code" and _code_string_arg(c.node, tree):
        c.kwargs = [f"code_string={c.args[0]}"] + c.keywords()
        c.args = c.args[1:]
        c.what.insert(0, "the code text goes in code_string= (a first positional argument is a file name)")
    if cls in SHIFT_ANIMATIONS and len(c.node.args) >= 2 and _is_direction(c.node.args[-1]) and not c.given("shift"):
        direction = c.args[-1]
        c.kwargs = [f"shift={direction}"] + c.keywords()
        c.args = c.args[:-1]
        c.what.append(f"{cls}(m, {direction}) -> {cls}(m, shift={direction})")



def _method_options(c: _Call, meth: str) -> None:
    fixed = _option_fixes(c.code, c.node, meth, None)
    if fixed:
        c.kwargs, more = fixed
        c.what += more
    if meth == "get_area" and len(c.node.args) == 3:
        c.kwargs = [f"x_range=[{c.args[1]}, {c.args[2]}]"] + c.keywords()
        c.args = c.args[:1]
        c.what.append("get_area(graph, a, b) -> get_area(graph, x_range=[a, b])")
    if meth == "get_riemann_rectangles" and c.given("start_color") and c.given("end_color"):
        kws = {k.arg: src(c.code, k.value) for k in c.node.keywords}
        c.kwargs = [x for x in c.keywords() if not x.startswith("color=")] + [
            f"color=({kws['start_color']}, {kws['end_color']})"]



def _backstroke(c: _Call) -> None:
    given = {k.arg: src(c.code, k.value) for k in c.node.keywords if k.arg}
    colour = c.args[0] if c.args else given.get("color", "BLACK")
    width = c.args[1] if len(c.args) > 1 else given.get("width", "3")
    c.args, c.kwargs = [colour], [f"width={width}", "background=True"]
    c.func = c.owner() + ".set_stroke"
    c.what.append(".set_backstroke() -> .set_stroke(..., background=True) (manimgl's outline behind text)")



def _plot_colour(c: _Call) -> None:
    """GraphScene's get_graph(func, color, x_min, x_max), now plot(func, x_range, …)."""
    if len(c.node.args) < 2 or not _is_colour(c.node.args[1]) or c.given("color"):
        return
    extra = c.args[1:]
    c.kwargs = [f"color={extra[0]}"] + ([f"x_range=[{extra[1]}, {extra[2]}]"] if len(extra) >= 3 else []) \
        + c.keywords()
    c.args = c.args[:1]
    c.what.append("plot(f, colour" + (", x_min, x_max" if len(extra) >= 3 else "") + ") -> plot(f, color=…"
                  + (", x_range=[…]" if len(extra) >= 3 else "") + ") (GraphScene's get_graph order)")



def _vertical_line_to_graph(c: _Call) -> None:
    if len(c.node.args) < 2:
        return
    owner = c.owner()
    c.args = [f"{owner}.i2gp({c.args[0]}, {c.args[1]})"] + c.args[2:]
    c.func = f"{owner}.get_vertical_line"
    c.what.append(f"{owner}.get_vertical_line_to_graph(x, graph) -> {owner}.get_vertical_line({owner}.i2gp(x, "
                  "graph)) (removed in Manim Community)")



def _renamed_method(c: _Call, meth: str) -> None:
    c.func = c.owner() + "." + METHODS[meth]
    c.what.append(f".{meth}() -> .{METHODS[meth]}() (renamed in Manim Community)")



def _call_edits(code: str, tree: ast.Module, names: Names) -> list[Edit]:
    starts = line_starts(code)
    edits = []
    user_methods = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        cls = manim_callable(node, names)
        meth = node.func.attr if isinstance(node.func, ast.Attribute) and node.func.attr not in user_methods \
            else None
        c = _Call(code, node, [src(code, x) for x in node.args])
        if cls == "always_redraw":
            _always_redraw(c)
        elif cls:
            if cls in AXES_CLASSES:
                edits += _axis_dict_edits(code, node, starts)
            _manim_options(c, cls, tree)
        elif meth in OPTIONS:
            _method_options(c, meth)
        if meth == "set_backstroke":
            _backstroke(c)
        elif meth == "plot":
            _plot_colour(c)
        elif meth == "get_vertical_line_to_graph":
            _vertical_line_to_graph(c)
        elif meth in METHODS and not manim_api.is_mobject_method(meth):
            _renamed_method(c, meth)
        if c.what:
            new = call_text(code, starts, node, c.func or src(code, node.func), c.args + c.keywords())
            a, b = span(starts, node)
            edits.append(Edit(a, b, new, f"{cls or meth or 'call'}(...): " + "; ".join(c.what)))
    return edits



def fix_calls(code: str, fixes: list[Fix]) -> str:
    # nested calls: the outer one first, then the inner ones on the next pass
    return rewrite(code, fixes, lambda code, tree, starts: _call_edits(code, tree, names_in(tree)), passes=6)
