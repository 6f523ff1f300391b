"""Layout facts of a validated scene: texts off the frame or overlapping, and what would make them fit."""
from __future__ import annotations

import sys
from pathlib import Path

TEXT_TYPES = ("Text", "MarkupText", "Tex", "MathTex", "SingleStringMathTex", "DecimalNumber", "Integer",
              "Paragraph", "Title", "BulletedList", "Code")

GROUP_TYPES = ("VGroup", "Group")  # recorded too: a group of texts is scaled as a whole



def record_creation_lines(scene_file: str) -> None:
    """Remember where each text mobject was created, so layout warnings can name a line."""
    from manim import Mobject

    original = Mobject.__init__
    target = str(Path(scene_file).resolve())
    is_scene: dict = {}  # file name -> is it the scene's file (resolving a path costs system calls)

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if type(self).__name__ in TEXT_TYPES + GROUP_TYPES and not hasattr(self, "_t2m_line"):
            f = sys._getframe(1)
            while f is not None:
                name = f.f_code.co_filename
                if name not in is_scene:
                    is_scene[name] = name == target or str(Path(name).resolve()) == target
                if is_scene[name]:
                    self._t2m_line = f.f_lineno
                    break
                f = f.f_back

    setattr(Mobject, "__init__", init)



def _describe(mob) -> str:
    name = type(mob).__name__
    text = getattr(mob, "text", None) or getattr(mob, "tex_string", None)
    if isinstance(text, str) and text.strip():
        t = " ".join(text.split())
        return f"{name}({t[:40]!r})"
    return name



def _visible(mob) -> bool:
    try:
        return max(mob.get_fill_opacity(), mob.get_stroke_opacity()) > 0.05
    except Exception:
        return True



FIT_SHARE = 0.9  # a text scaled to fit fills at most this share of the frame's width or height



def _text_group(mob) -> bool:
    """A group made only of texts (and groups of texts): scaling it as a whole is safe."""
    return type(mob).__name__ in GROUP_TYPES and bool(mob.submobjects) and all(
        type(s).__name__ in TEXT_TYPES or _text_group(s) for s in mob.submobjects)



def _fit_target(text, scene):
    """What to scale for a text too large for the frame: the outermost group of texts holding it that was
    made on a known line, else the text itself."""
    def path_to(mob, chain):
        if mob is text:
            return chain + [mob]
        for sub in mob.submobjects:
            found = path_to(sub, chain + [mob])
            if found:
                return found
        return None

    for top in scene.mobjects:
        chain = path_to(top, [])
        if chain:
            return next((m for m in chain[:-1] if _text_group(m) and getattr(m, "_t2m_line", None)), text)
    return text



def _box(mob):
    (x0, y0, _), (x1, y1, _) = mob.get_corner([-1, -1, 0]), mob.get_corner([1, 1, 0])
    return x0, y0, x1, y1



def layout_warnings(scene) -> list[dict]:
    """Texts off the frame and texts overlapping each other in the final state of the scene.

    An off-frame warning also says what would make it fit: the object to scale (the text, or the group of
    texts it belongs to), the line that made it, its size and the factor (`scale`, 1 when it is small
    enough and only placed off the frame), for layout.py's rule and for the model's repair round."""
    from manim import ThreeDScene, config

    if isinstance(scene, ThreeDScene):  # the camera projects: frame bounds in scene units do not apply
        return []
    frame_w, frame_h = config.frame_width, config.frame_height
    half_w, half_h = frame_w / 2, frame_h / 2
    texts: list = []
    seen: set[int] = set()
    for top in scene.mobjects:
        for mob in top.get_family():
            if id(mob) in seen:
                continue
            if type(mob).__name__ in TEXT_TYPES and _visible(mob) and mob.has_points() or (
                type(mob).__name__ in TEXT_TYPES and any(s.has_points() for s in mob.get_family())
            ):
                texts.append(mob)
                seen.update(id(s) for s in mob.get_family())
    out = []
    boxes = [_box(mob) for mob in texts]
    tol = 0.05
    for mob, (x0, y0, x1, y1) in zip(texts, boxes):
        if not (x0 < -half_w - tol or x1 > half_w + tol or y0 < -half_h - tol or y1 > half_h + tol):
            continue
        target = _fit_target(mob, scene)
        w, h = target.width, target.height
        scale = min(1.0, FIT_SHARE * frame_w / w if w else 1.0, FIT_SHARE * frame_h / h if h else 1.0)
        what = _describe(target) if target is not mob else "it"
        need = (f"{what} is {w:.1f} × {h:.1f}, larger than the frame: scale it by {scale:.2f} to fit"
                if scale < 1 else "it fits the frame in size but is placed off it: move it inside")
        out.append({"message": f"{_describe(mob)} extends outside the frame (x {x0:.2f}..{x1:.2f}, y "
                               f"{y0:.2f}..{y1:.2f}; the frame is ±{half_w:.2f} × ±{half_h:.2f}); {need}",
                    "line": getattr(mob, "_t2m_line", None), "kind": "off-frame", "scale": round(scale, 4),
                    "target": type(target).__name__, "target_line": getattr(target, "_t2m_line", None),
                    "target_width": round(w, 3), "target_height": round(h, 3),
                    "frame": [round(frame_w, 3), round(frame_h, 3)]})
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            w = min(a[2], b[2]) - max(a[0], b[0])
            h = min(a[3], b[3]) - max(a[1], b[1])
            if w <= 0 or h <= 0:
                continue
            smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])) or 1e-9
            if w * h / smaller > 0.2:
                line = getattr(texts[j], "_t2m_line", None) or getattr(texts[i], "_t2m_line", None)
                other = getattr(texts[i], "_t2m_line", None)
                where = f" (made on line {other})" if other and other != line else ""
                out.append({"message": f"{_describe(texts[i])}{where} and {_describe(texts[j])} overlap "
                                       f"({100 * w * h / smaller:.0f}% of the smaller one is covered): place one "
                                       f"next_to the other, arrange them with buff, or FadeOut the first",
                            "line": line, "kind": "overlap"})
    return out
