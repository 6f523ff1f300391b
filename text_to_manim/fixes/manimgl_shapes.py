"""Old API shapes, rewritten through the AST in the source (formatting and comments survive): CONFIG dicts -> class
attributes, GraphScene -> Scene + Axes, get_graph -> plot, x_min/x_max -> x_range, FadeInFrom / FadeOutAndShift /
FadeInFromDown -> FadeIn/FadeOut(shift=...), ApplyMethod and `self.play(m.shift, UP)` -> `m.animate.shift(UP)`,
scale_about_point -> scale(about_point=)."""
from __future__ import annotations

import ast
import keyword
from typing import Optional

from text_to_manim.events import Fix
from text_to_manim.fixes.edits import (
    Edit,
    Starts,
    ast_offset,
    call_text,
    func_name,
    indent_of,
    line_starts,
    rewrite,
    span,
    src,
)

OPPOSITE = {"UP": "DOWN", "DOWN": "UP", "LEFT": "RIGHT", "RIGHT": "LEFT", "UL": "DR", "DR": "UL", "UR": "DL",
            "DL": "UR", "IN": "OUT", "OUT": "IN"}

PLAY_METHODS = {"shift", "move_to", "scale", "rotate", "set_color", "next_to", "to_edge", "to_corner", "set_fill",
                "set_stroke", "become", "flip", "stretch", "set_opacity", "fade", "arrange", "center",
                "set_height", "set_width", "scale_to_fit_width", "scale_to_fit_height", "align_to",
                "match_height", "match_width", "set_x", "set_y", "set_value", "increment_value", "fade_to",
                "set_color_by_gradient", "set_submobject_colors_by_gradient", "restore", "shift_onto_screen",
                "move_arc_center_to", "put_start_and_end_on", "set_points_as_corners", "to_original_color",
                "rotate_about_origin", "apply_function", "apply_matrix", "apply_complex_function",
                "apply_points_function_about_point", "set_angle", "surround", "rescale_to_fit",
                "stretch_to_fit_width", "stretch_to_fit_height", "space_out_submobjects"}

RANGE_CALLS = {"Axes", "NumberPlane", "ThreeDAxes", "ComplexPlane", "NumberLine", "FunctionGraph", "plot",
               "get_graph", "get_riemann_rectangles", "get_area", "ParametricFunction", "plot_parametric_curve",
               "Surface", "ParametricSurface", "UnitInterval"}

GRAPH_SELF_METHODS = {"get_graph": "axes.plot", "coords_to_point": "axes.c2p", "c2p": "axes.c2p",
                      "point_to_coords": "axes.p2c", "p2c": "axes.p2c",
                      "input_to_graph_point": "axes.input_to_graph_point", "i2gp": "axes.i2gp",
                      "get_graph_label": "axes.get_graph_label",
                      "get_riemann_rectangles": "axes.get_riemann_rectangles", "get_area": "axes.get_area",
                      "get_derivative_graph": "axes.plot_derivative_graph",
                      "get_secant_slope_group": "axes.get_secant_slope_group",
                      "get_vertical_lines_to_graph": "axes.get_vertical_lines_to_graph",
                      "angle_of_tangent": "axes.angle_of_tangent", "slope_of_tangent": "axes.slope_of_tangent",
                      "x_axis": "axes.x_axis", "y_axis": "axes.y_axis"}

GRAPH_DEFAULTS = [("x_min", "-1"), ("x_max", "10"), ("x_axis_width", "9"), ("x_tick_frequency", "1"),
                  ("y_min", "-1"), ("y_max", "10"), ("y_axis_height", "6"), ("y_tick_frequency", "1"),
                  ("axes_color", "GREY"), ("graph_origin", "2.5 * DOWN + 4 * LEFT")]



def _config_dicts(tree: ast.Module) -> dict[str, dict]:
    """class name -> its CONFIG entries {key: value node}, for the classes whose CONFIG is a plain dict."""
    out = {}
    for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
        for stmt in cls.body:
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id == "CONFIG" and isinstance(stmt.value, ast.Dict)):
                out[cls.name] = {k.value: v for k, v in zip(stmt.value.keys, stmt.value.values)
                                 if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return out



def _inherited_from(cls: ast.ClassDef, key: str, configs: dict, classes: dict) -> Optional[str]:
    """The nearest base class in the file whose CONFIG has `key` as a dict (manimgl merges those)."""
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            if isinstance(configs.get(base.id, {}).get(key), ast.Dict):
                return base.id
            deeper = _inherited_from(classes[base.id], key, configs, classes)
            if deeper:
                return deeper
    return None



def _config_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    configs = _config_dicts(tree)
    classes = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    edits = []
    for cls in classes.values():
        for stmt in cls.body:
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id == "CONFIG" and isinstance(stmt.value, ast.Dict)):
                keys = [k.value for k in stmt.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
                        and k.value.isidentifier() and not keyword.iskeyword(k.value)]
                if len(keys) != len(stmt.value.keys):
                    continue
                ind = indent_of(code, starts, stmt.lineno)
                lines, merged = [], []
                for k, v in zip(keys, stmt.value.values):
                    base = _inherited_from(cls, k, configs, classes) if isinstance(v, ast.Dict) else None
                    if base:  # manimgl merged nested CONFIG dicts with the base class's: keep its keys
                        inner = src(code, v).strip()[1:-1].strip()
                        lines.append(f"{k} = {{**{base}.{k}" + (f", {inner}" if inner else "") + "}")
                        merged.append(k)
                    else:
                        lines.append(f"{k} = {src(code, v)}")
                text = ("\n" + ind).join(lines) if lines else "pass"
                a = ast_offset(starts, stmt.lineno, stmt.col_offset)
                b = ast_offset(starts, stmt.end_lineno or stmt.lineno, stmt.end_col_offset or 0)  # set by ast.parse
                names = ", ".join(keys)[:50]
                what = f"CONFIG dict in {cls.name} -> class attributes ({names})"
                if merged:
                    what += f"; {', '.join(merged)} merged with the base class's, as manimgl did"
                edits.append(Edit(a, b, text, what))
    return edits



def fix_config_dicts(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _config_edits)



def _graphscene_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    edits = []
    for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
        bases = [b for b in cls.bases if isinstance(b, ast.Name) and b.id == "GraphScene"]
        if not bases:
            continue
        a, b = span(starts, bases[0])
        edits.append(Edit(a, b, "Scene", f"{cls.name}: GraphScene (removed from Manim) -> Scene with an Axes "
                                          "in self.axes"))
        defined = {t.id for s in cls.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}
        methods = {s.name for s in cls.body if isinstance(s, ast.FunctionDef)}
        ind = indent_of(code, starts, cls.body[0].lineno)
        lines = ["# added by sanitize: what GraphScene used to provide"]
        lines += [f"{k} = {v}" for k, v in GRAPH_DEFAULTS if k not in defined]
        lines += [
            "",
            "def _graph_axes(self):",
            "    if getattr(self, \"axes\", None) is None:",
            "        self.axes = Axes(",
            "            x_range=[self.x_min, self.x_max, self.x_tick_frequency],",
            "            y_range=[self.y_min, self.y_max, self.y_tick_frequency],",
            "            x_length=self.x_axis_width, y_length=self.y_axis_height,",
            "            axis_config={\"color\": self.axes_color, \"include_tip\": False},",
            "        )",
            "        self.axes.shift(self.graph_origin - self.axes.c2p(0, 0))",
            "    return self.axes",
            "",
        ]
        if "setup" not in methods:
            lines += ["def setup(self):", "    self._graph_axes()", ""]
        if "setup_axes" not in methods:
            lines += ["def setup_axes(self, animate=False):",
                      "    axes = self._graph_axes()",
                      "    if animate:",
                      "        self.play(Create(axes))",
                      "    else:",
                      "        self.add(axes)",
                      ""]
        first = cls.body[0]
        # After a class docstring, before everything else.
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            end = first.end_lineno or first.lineno
            pos = starts[end] if end < len(starts) else len(code)
        else:
            pos = starts[first.lineno - 1]
        block = "".join((ind + l if l else "") + "\n" for l in lines)
        edits.append(Edit(pos, pos, block))
        renamed = set()
        for node in ast.walk(cls):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"
                    and node.attr in GRAPH_SELF_METHODS):
                a, b = span(starts, node)
                new = "self." + GRAPH_SELF_METHODS[node.attr]
                edits.append(Edit(a, b, new, None if node.attr in renamed else f"self.{node.attr} -> {new}"))
                renamed.add(node.attr)
    return edits



def fix_graphscene(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _graphscene_edits)



def _neg(code: str, node: ast.AST) -> str:
    if isinstance(node, ast.Name) and node.id in OPPOSITE:
        return OPPOSITE[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return src(code, node.operand)
    return f"-({src(code, node)})" if not isinstance(node, ast.Name) else f"-{node.id}"



def _next_animation(code: str, x: ast.expr) -> bool:
    """An argument of an old-style self.play(mob.method, args, ...) that starts the next animation."""
    return ((isinstance(x, ast.Call) and (func_name(x) or "a")[:1].isupper())
            or (isinstance(x, ast.Attribute) and x.attr in PLAY_METHODS)
            or (isinstance(x, ast.Call) and isinstance(x.func, ast.Attribute) and "animate" in src(code, x.func)))



def _call_edits(code: str, tree: ast.Module) -> list[Edit]:
    starts = line_starts(code)
    edits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = func_name(node)
        a, b = span(starts, node)
        kws = {k.arg: k for k in node.keywords if k.arg}
        other_kw = lambda skip: [(f"{k.arg}={src(code, k.value)}" if k.arg else f"**{src(code, k.value)}")
                                 for k in node.keywords if k.arg not in skip]
        if isinstance(node.func, ast.Name) and name in ("FadeInFrom", "FadeOutAndShift", "FadeInFromDown",
                                                        "FadeOutAndShiftDown", "FadeInFromLarge", "FadeInFromPoint",
                                                        "FadeOutFromDown") and node.args:
            m = src(code, node.args[0])
            rest_pos = [src(code, x) for x in node.args[2:]]
            d_node = node.args[1] if len(node.args) > 1 else (kws["direction"].value if "direction" in kws else None)
            if name == "FadeInFrom":
                shift = _neg(code, d_node) if d_node is not None else "UP"
                new_name, extra = "FadeIn", f"shift={shift}"
                args = [m, extra, *rest_pos, *other_kw({"direction"})]
            elif name == "FadeOutAndShift":
                shift = src(code, d_node) if d_node is not None else "DOWN"
                new_name, extra = "FadeOut", f"shift={shift}"
                args = [m, extra, *rest_pos, *other_kw({"direction"})]
            elif name == "FadeInFromDown":
                new_name, extra = "FadeIn", "shift=UP"
                args = [m, extra, *other_kw(set())]
            elif name in ("FadeOutAndShiftDown", "FadeOutFromDown"):
                new_name, extra = "FadeOut", "shift=DOWN"
                args = [m, extra, *other_kw(set())]
            elif name == "FadeInFromLarge":
                sf = src(code, node.args[1]) if len(node.args) > 1 else (
                    src(code, kws["scale_factor"].value) if "scale_factor" in kws else "2")
                new_name, extra = "FadeIn", f"scale={sf}"
                args = [m, extra, *other_kw({"scale_factor"})]
            else:  # FadeInFromPoint
                pt = src(code, node.args[1]) if len(node.args) > 1 else (
                    src(code, kws["point"].value) if "point" in kws else "ORIGIN")
                new_name, extra = "FadeIn", f"target_position={pt}"
                args = [m, extra, *other_kw({"point"})]
            new = call_text(code, starts, node, new_name, args)
            edits.append(Edit(a, b, new, f"{name}(...) -> {new_name}(..., {extra}) (Manim Community)"))
        elif isinstance(node.func, ast.Name) and name == "ApplyMethod" and node.args \
                and isinstance(node.args[0], ast.Attribute):
            meth = node.args[0]
            target = src(code, meth.value)
            args = [src(code, x) for x in node.args[1:]]
            kw = other_kw(set())
            anim = f"{target}.animate" + (f"({', '.join(kw)})" if kw else "")
            new = f"{anim}.{meth.attr}({', '.join(args)})"
            edits.append(Edit(a, b, new, f"ApplyMethod({target}.{meth.attr}, ...) -> {target}.animate.{meth.attr}(...)"))
        elif isinstance(node.func, ast.Attribute) and name == "play" and node.args and any(
                isinstance(x, ast.Attribute) and x.attr in PLAY_METHODS for x in node.args):
            parts: list[str] = []
            i, changed = 0, False
            call_args = node.args
            while i < len(call_args):
                x = call_args[i]
                if isinstance(x, ast.Attribute) and x.attr in PLAY_METHODS and not (
                        isinstance(x.value, ast.Attribute) and x.value.attr == "animate"):
                    j = i + 1
                    while j < len(call_args) and not _next_animation(code, call_args[j]):
                        j += 1
                    given = list(call_args[i + 1:j])
                    kw_dict = given[-1] if given and isinstance(given[-1], ast.Dict) else None
                    if kw_dict is not None and all(isinstance(k, ast.Constant) and isinstance(k.value, str)
                                                   and k.value.isidentifier() for k in kw_dict.keys):
                        # the old API passed the method's keyword arguments as a trailing dict
                        method_args = [src(code, y) for y in given[:-1]] + [
                            f"{k.value}={src(code, v)}" for k, v in zip(kw_dict.keys, kw_dict.values)
                            if isinstance(k, ast.Constant) and isinstance(k.value, str)]  # all are (checked above)
                    else:
                        method_args = [src(code, y) for y in given]
                    margs = ", ".join(method_args)
                    parts.append(f"{src(code, x.value)}.animate.{x.attr}({margs})")
                    changed = True
                    i = j
                else:
                    parts.append(src(code, x))
                    i += 1
            if changed:
                new = call_text(code, starts, node, src(code, node.func), parts + other_kw(set()))
                edits.append(Edit(a, b, new, "old-style self.play(mobject.method, args) -> mobject.animate.method(args)"))
        elif name in RANGE_CALLS and (set(kws) & {"x_min", "x_max", "y_min", "y_max", "t_min", "t_max", "z_min",
                                                  "z_max", "u_min", "u_max", "v_min", "v_max"}
                                      or (name == "get_graph" and isinstance(node.func, ast.Attribute))):
            used = set()
            new_kw = []

            def rng(lo, hi, steps, out_name, default_lo="-5", default_hi="5"):
                if lo in kws or hi in kws:
                    vals = [src(code, kws[lo].value) if lo in kws else default_lo,
                            src(code, kws[hi].value) if hi in kws else default_hi]
                    used.update({lo, hi})
                    for st in steps:
                        if st in kws:
                            vals.append(src(code, kws[st].value))
                            used.add(st)
                            break
                    new_kw.append(f"{out_name}=[{', '.join(vals)}]")

            is_t = name in ("ParametricFunction", "plot_parametric_curve")
            if is_t:
                rng("t_min", "t_max", ("t_step", "step_size"), "t_range", "0", "1")
            elif name == "get_area":
                rng("t_min", "t_max", (), "x_range", "0", "1")
                rng("x_min", "x_max", (), "x_range")
            elif name in ("Surface", "ParametricSurface"):
                rng("u_min", "u_max", (), "u_range", "0", "1")
                rng("v_min", "v_max", (), "v_range", "0", "1")
            else:
                rng("x_min", "x_max", ("x_step", "x_tick_frequency", "tick_frequency", "step_size")
                    if name not in ("plot", "get_graph", "FunctionGraph", "get_riemann_rectangles") else (),
                    "x_range")
                rng("y_min", "y_max", ("y_step", "y_tick_frequency"), "y_range")
                rng("z_min", "z_max", ("z_step",), "z_range")
            func_src = src(code, node.func)
            fname = name
            if name == "get_graph" and isinstance(node.func, ast.Attribute):
                func_src = src(code, node.func.value) + ".plot"
                fname = "plot"
            args = [src(code, x) for x in node.args] + new_kw + other_kw(used)
            new = call_text(code, starts, node, func_src, args)
            what = []
            if fname != name:
                what.append(f"{name} -> {fname}")
            if new_kw:
                what.append(f"{', '.join(sorted(used))} -> {', '.join(k.split('=')[0] for k in new_kw)}")
            edits.append(Edit(a, b, new, f"{name}(...): " + "; ".join(what)))
        elif isinstance(node.func, ast.Attribute) and name == "scale_about_point" and len(node.args) >= 2:
            new = (f"{src(code, node.func.value)}.scale({src(code, node.args[0])}, "
                   f"about_point={src(code, node.args[1])})")
            edits.append(Edit(a, b, new, "scale_about_point(s, p) -> scale(s, about_point=p)"))
    return edits



def fix_old_calls(code: str, fixes: list[Fix]) -> str:
    # nested old calls are rewritten from the outside in, one layer per pass
    return rewrite(code, fixes, lambda code, tree, starts: _call_edits(code, tree), passes=8)
    return code
