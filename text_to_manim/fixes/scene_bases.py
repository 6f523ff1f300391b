"""Scene bases and statements of other Manims: `self.embed()`, `self.camera.frame` in a plain Scene (MovingCameraScene),
3D camera calls in a 2D Scene (ThreeDScene), manimgl's 3-D frame calls, an `if __name__ == "__main__":` block (it runs
`manim` through os.system; a render never runs it)."""
from __future__ import annotations

import ast
from typing import Optional

from text_to_manim.events import Fix
from text_to_manim.fixes.edits import Edit, Starts, rewrite, span, src
from text_to_manim.fixes.options import kw_text

MOVING_CAMERA_USE = "camera.frame"

THREE_D_METHODS = {"set_camera_orientation", "move_camera", "begin_ambient_camera_rotation",
                   "stop_ambient_camera_rotation", "add_fixed_in_frame_mobjects", "add_fixed_orientation_mobjects",
                   "begin_3dillusion_camera_rotation"}

EMBED_METHODS = {"embed", "interactive_embed"}



def _is_main_guard(stmt: ast.stmt) -> bool:
    t = stmt.test if isinstance(stmt, ast.If) else None
    return (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
            and len(t.comparators) == 1 and isinstance(t.comparators[0], ast.Constant)
            and t.comparators[0].value == "__main__")



def _removed_statement(stmt: ast.stmt) -> Optional[str]:
    """Why a statement that only makes sense in manimgl goes, or None."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return None
    func = stmt.value.func
    if isinstance(func, ast.Attribute) and func.attr in EMBED_METHODS and isinstance(func.value, ast.Name) \
            and func.value.id == "self":
        return "manimgl's interactive shell; a render has no terminal"
    if isinstance(func, ast.Name) and func.id == "digest_config":
        return "manimgl's CONFIG machinery; the CONFIG entries are class attributes now"
    return None



def _scene_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    """Scene bases that the code's camera use needs, and manimgl's self.embed() removed."""
    edits = []
    for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
        base = next((b for b in cls.bases if isinstance(b, ast.Name) and b.id == "Scene"), None)
        if base is None:
            continue
        body = src(code, cls)
        used = {n.func.attr for n in ast.walk(cls) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"}
        new = None
        if used & THREE_D_METHODS or ".reorient(" in body or ".fix_in_frame()" in body:
            new, why = "ThreeDScene", (f"it calls self.{sorted(used & THREE_D_METHODS)[0]}" if used & THREE_D_METHODS
                                       else "it turns manimgl's 3-D camera frame")
        elif "self." + MOVING_CAMERA_USE in body:
            new, why = "MovingCameraScene", "it moves self.camera.frame"
        if new:
            a, b = span(starts, base)
            edits.append(Edit(a, b, new, f"{cls.name}: Scene -> {new} ({why}, which only {new} has)"))
    for stmt in tree.body:
        if _is_main_guard(stmt):
            a = starts[stmt.lineno - 1]
            end = stmt.end_lineno or stmt.lineno
            b = starts[end] if end < len(starts) else len(code)
            edits.append(Edit(a, b, "", "removed the `if __name__ == \"__main__\":` block: a render imports the "
                                        "scene and never runs it as a script"))
    for node in ast.walk(tree):
        for attr in ("body", "orelse", "finalbody"):
            block = getattr(node, attr, None)
            if not isinstance(block, list):
                continue
            for stmt in block:
                reason = _removed_statement(stmt)
                if reason and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                    a, b = span(starts, stmt)
                    edits.append(Edit(a, b, "pass", f"removed {src(code, stmt.value.func)}() ({reason})"))
    return edits



def fix_scenes(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _scene_edits)



def _is_camera_frame(node: ast.expr, aliases: set[str]) -> bool:
    return (isinstance(node, ast.Name) and node.id in aliases) or (
        isinstance(node, ast.Attribute) and node.attr == "frame" and isinstance(node.value, ast.Attribute)
        and node.value.attr == "camera" and isinstance(node.value.value, ast.Name) and node.value.value.id == "self")



def _angles(code: str, call: ast.Call) -> list[str]:
    """manimgl reorient(theta, phi) in degrees, theta measured from Manim Community's -90°."""
    out = []
    for name, arg, shift in zip(("theta", "phi", "gamma"), call.args, (-90, 0, 0)):
        value = src(code, arg)
        try:
            number = ast.literal_eval(arg)
        except ValueError:
            number = None
        if isinstance(number, (int, float)):
            value = f"{number + shift:g}"
        elif shift:
            value = f"({value} - 90)"
        out.append(f"{name}={value} * DEGREES")
    return out



def _frame_3d_edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    """manimgl's 3-D camera (`frame = self.camera.frame; frame.reorient(θ, φ)`, `mob.fix_in_frame()`) in a
    ThreeDScene: set_camera_orientation / move_camera / add_fixed_in_frame_mobjects."""
    edits = []
    for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)
                and any(isinstance(b, ast.Name) and b.id == "ThreeDScene" for b in n.bases)]:
        aliases = {t.id for n in ast.walk(cls) if isinstance(n, ast.Assign) and _is_camera_frame(n.value, set())
                   for t in n.targets if isinstance(t, ast.Name)}
        for stmt in [n for n in ast.walk(cls) if isinstance(n, ast.stmt)]:
            a, b = span(starts, stmt)
            call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
            f = call.func if call is not None else None
            if isinstance(stmt, ast.Assign) and _is_camera_frame(stmt.value, set()):
                edits.append(Edit(a, b, "pass", "removed `frame = self.camera.frame` (manimgl's 3-D camera; a "
                                                "ThreeDScene turns its camera itself)"))
            elif call is None:
                continue
            elif isinstance(f, ast.Attribute) and f.attr == "reorient" and _is_camera_frame(f.value, aliases):
                edits.append(Edit(a, b, f"self.set_camera_orientation({', '.join(_angles(code, call))})",
                                  "frame.reorient(θ, φ) -> self.set_camera_orientation(theta=, phi=) (manimgl's "
                                  "degrees; theta counted from Manim's -90°)"))
            elif isinstance(f, ast.Attribute) and f.attr == "fix_in_frame" and not call.args:
                edits.append(Edit(a, b, f"self.add_fixed_in_frame_mobjects({src(code, f.value)})",
                                  "mob.fix_in_frame() -> self.add_fixed_in_frame_mobjects(mob) (manimgl's form)"))
            elif isinstance(f, ast.Attribute) and f.attr == "play":
                turn = [x for x in call.args if isinstance(x, ast.Call) and isinstance(x.func, ast.Attribute)
                        and x.func.attr == "reorient" and isinstance(x.func.value, ast.Attribute)
                        and x.func.value.attr == "animate" and _is_camera_frame(x.func.value.value, aliases)]
                if len(turn) == 1:
                    others = [src(code, x) for x in call.args if x is not turn[0]]
                    kws = [kw_text(code, k) for k in call.keywords]
                    extra = [f"added_anims=[{', '.join(others)}]"] if others else []
                    edits.append(Edit(a, b, f"self.move_camera({', '.join(_angles(code, turn[0]) + extra + kws)})",
                                      "self.play(frame.animate.reorient(θ, φ)) -> self.move_camera(theta=, phi=) "
                                      "(manimgl's 3-D camera)"))
    return edits



def fix_frame_3d(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _frame_3d_edits)
