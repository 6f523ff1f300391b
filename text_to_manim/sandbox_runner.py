"""Runs one Manim scene inside the sandbox; stdlib + manim only, no import of text_to_manim.

It is bound read-only into the sandbox and run as a script, so it must stand alone. It speaks to the
parent through lines on stdout that start with MARK and carry one JSON object each:
  {"event": "play", "index": i}                      an animation (play or wait) is starting
  {"event": "played", "index": i, "seconds": s}       ... and ended, lasting s seconds of video
  {"event": "video", "path": p}                       the movie file written
  {"event": "preview", "path": p}                     the last frame written (validate mode)
  {"event": "image", "path": p}                       a scene that never animates: its still (render mode)
  {"event": "done", "animations": n, "warnings": [...], "scene": name}
  {"event": "error", "type": t, "message": m, "line": l, "source_line": s, "stage": st}
Everything else (Manim's own log) goes to stderr, which the parent keeps as the job's log.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import traceback
from pathlib import Path

MARK = "@@T2M "
QUALITY = {"l": "low_quality", "m": "medium_quality", "h": "high_quality", "k": "fourk_quality"}
TEXT_TYPES = ("Text", "MarkupText", "Tex", "MathTex", "SingleStringMathTex", "DecimalNumber", "Integer",
              "Paragraph", "Title", "BulletedList", "Code")
GROUP_TYPES = ("VGroup", "Group")  # recorded too: a group of texts is scaled as a whole


def emit(event: str, **data) -> None:
    sys.stdout.write(MARK + json.dumps({"event": event, **data}) + "\n")
    sys.stdout.flush()


def scene_line(tb, scene_file: str) -> int | None:
    """The deepest traceback frame in the user's file: the line they need to look at."""
    line = None
    for frame in traceback.extract_tb(tb):
        if Path(frame.filename).resolve() == Path(scene_file).resolve():
            line = frame.lineno
    return line


def latex_failure(exc: BaseException) -> str | None:
    """Turn Manim's 'latex error converting to dvi' into the formula and TeX's own error line."""
    text = str(exc)
    if "latex error" not in text.lower() and "tex error" not in text.lower():
        return None
    m = re.search(r"(\S+\.log)", text)
    log = Path(m.group(1)) if m else None
    tex_error, formula = "", ""
    if log and log.exists():
        lines = log.read_text(errors="replace").splitlines()
        bangs = [i for i, ln in enumerate(lines) if ln.startswith("!")]
        if bangs:
            i = bangs[0]
            context = next((ln for ln in lines[i + 1:i + 8] if re.match(r"l\.\d+", ln)), "")
            tex_error = lines[i].lstrip("! ").strip() + (f" (at: {context.strip()})" if context else "")
        tex = log.with_suffix(".tex")
        if tex.exists():
            body = tex.read_text(errors="replace")
            fm = re.search(r"\\begin\{document\}(.*)\\end\{document\}", body, re.S)
            formula = re.sub(r"\\begin\{(center|align\*)\}|\\end\{(center|align\*)\}", "",
                             fm.group(1) if fm else body)
            formula = re.sub(r"\\special\{dvisvgm:raw [^}]*\}", "", formula).strip()
    msg = "LaTeX could not compile"
    msg += f" the formula {formula!r}" if formula else " a formula"
    return msg + (f": {tex_error}" if tex_error else ". Check the TeX syntax (braces, backslashes, raw strings).")


def record_creation_lines(scene_file: str) -> None:
    """Remember where each text mobject was created, so layout warnings can name a line."""
    from manim import Mobject

    original = Mobject.__init__
    target = str(Path(scene_file).resolve())

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if type(self).__name__ in TEXT_TYPES + GROUP_TYPES and not hasattr(self, "_t2m_line"):
            f = sys._getframe(1)
            while f is not None:
                if f.f_code.co_filename == target or str(Path(f.f_code.co_filename).resolve()) == target:
                    self._t2m_line = f.f_lineno
                    break
                f = f.f_back

    Mobject.__init__ = init


def count_plays() -> list:
    """Wrap the renderer's play so each animation announces itself (progress, chunk planning)."""
    from manim.renderer.cairo_renderer import CairoRenderer

    counter = [0]
    original = CairoRenderer.play

    def play(self, scene, *args, **kwargs):
        index, start = counter[0], self.time
        emit("play", index=index)
        counter[0] += 1
        result = original(self, scene, *args, **kwargs)
        emit("played", index=index, seconds=round(self.time - start, 4))
        return result

    CairoRenderer.play = play
    return counter


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
    texts, seen = [], set()
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


def load_scene_class(scene_file: str, name: str | None):
    from manim import Scene

    spec = importlib.util.spec_from_file_location("t2m_scene", scene_file)
    module = importlib.util.module_from_spec(spec)
    sys.modules["t2m_scene"] = module
    spec.loader.exec_module(module)
    classes = [v for v in vars(module).values()
               if isinstance(v, type) and issubclass(v, Scene) and v.__module__ == "t2m_scene"]
    if name:
        match = [c for c in classes if c.__name__ == name]
        if not match:
            raise LookupError(f"no Scene named {name!r} in the code (found: {', '.join(c.__name__ for c in classes) or 'none'})")
        return match[0]
    if not classes:
        raise LookupError("the code defines no Scene subclass with a construct method")
    return classes[-1]


def concat(parts: list[str], output: str) -> None:
    """Join chunk videos without re-encoding (the concat demuxer, as Manim joins its partial movies)."""
    import io

    import av

    manifest = io.BytesIO("".join(f"file 'file:{Path(p).as_posix()}'\n" for p in parts).encode())
    with av.open(manifest, format="concat", options={"safe": "0", "an": "1"}) as src, av.open(output, "w") as dst:
        stream = src.streams.video[0]
        out = dst.add_stream_from_template(template=stream)
        for packet in src.demux(stream):
            if packet.dts is None:  # demux's flushing packets
                continue
            packet.dts = None  # chunk timestamps restart at 0; let libav recompute them
            packet.stream = out
            dst.mux(packet)
    emit("video", path=output)


def _import_shims():
    """scene_shims.py lies beside this file (in the sandbox and in the package alike)."""
    spec = importlib.util.spec_from_file_location("t2m_scene_shims", Path(__file__).resolve().parent / "scene_shims.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def configure(args) -> None:
    from manim import config

    config.quality = QUALITY[args.quality]
    config.media_dir = args.out
    if args.cache:  # one TeX/text cache per job: validate fills it, the render chunks reuse it
        config.tex_dir = str(Path(args.cache) / "Tex")
        config.text_dir = str(Path(args.cache) / "texts")
    config.format = args.format
    config.disable_caching = True
    config.progress_bar = "none"
    config.verbosity = "WARNING"
    if args.mode == "validate":
        config.save_last_frame = True
        config.write_to_movie = False
        config.quality = "low_quality"
    if args.from_anim is not None:
        config.from_animation_number = args.from_anim
    if args.upto_anim is not None:
        config.upto_animation_number = args.upto_anim
    if args.output_name:
        config.output_file = args.output_name


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["validate", "render", "concat"])
    ap.add_argument("scene_file", help="the scene (validate, render) or the output video (concat)")
    ap.add_argument("--part", action="append", default=[], help="concat: a chunk video, in order")
    ap.add_argument("--scene")
    ap.add_argument("--quality", default="l")
    ap.add_argument("--format", default="mp4")
    ap.add_argument("--out", default=".")
    ap.add_argument("--cache", help="folder for compiled TeX and text, shared by a job's runs")
    ap.add_argument("--from-anim", type=int)
    ap.add_argument("--upto-anim", type=int)
    ap.add_argument("--output-name")
    args = ap.parse_args(argv)
    stage = "validate" if args.mode == "validate" else "render"
    try:
        if args.mode == "concat":
            concat(args.part, args.scene_file)
            return 0
        configure(args)
        scene_shims = _import_shims()
        scene_shims.install(args.scene_file)
        counter = count_plays()
        if args.mode == "validate":
            record_creation_lines(args.scene_file)
        cls = load_scene_class(args.scene_file, args.scene)
        scene = cls()
        scene.render()
        fw = scene.renderer.file_writer
        if args.mode == "validate":
            png = Path(fw.image_file_path) if getattr(fw, "image_file_path", None) else None
            if png and png.exists():
                emit("preview", path=str(png))
        elif args.format == "png":  # a scene that never animates: its still, as plain manim makes it
            emit("image", path=str(fw.image_file_path))
        else:
            path = fw.gif_file_path if args.format == "gif" else fw.movie_file_path
            emit("video", path=str(path))
        warnings = layout_warnings(scene) if args.mode == "validate" else []
        emit("done", animations=counter[0], warnings=warnings, scene=cls.__name__, shims=scene_shims.NOTES)
        return 0
    except BaseException as exc:  # report everything, including SystemExit/KeyboardInterrupt from user code
        tb = exc.__traceback__
        line = scene_line(tb, args.scene_file)
        source = ""
        if line:
            try:
                source = Path(args.scene_file).read_text(errors="replace").splitlines()[line - 1].strip()
            except (OSError, IndexError):
                pass
        message = latex_failure(exc) or (str(exc) or type(exc).__name__)
        if isinstance(exc, MemoryError):
            message = "the scene ran out of memory (the sandbox's memory limit); use fewer or simpler objects"
        traceback.print_exc(file=sys.stderr)
        emit("error", type=type(exc).__name__, message=message[:2000], line=line, source_line=source,
             stage="latex" if latex_failure(exc) else stage)
        return 1


if __name__ == "__main__":
    sys.exit(main())
