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
Paths are relative to the run's folder when they lie inside it: the parent maps them onto its own view of
that folder (the job folder, or a warm worker's slot) and trusts nothing outside it.
Everything else (Manim's own log) goes to stderr, which the parent keeps as the job's log.

`serve` mode is a warm worker (see `serve`): it imports Manim once, then runs each command of one job in
a forked child, so a job's runs start in milliseconds instead of importing Manim from nothing.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

MARK = "@@T2M "
EMIT_LOCK = threading.Lock()
QUALITY = {"l": "low_quality", "m": "medium_quality", "h": "high_quality", "k": "fourk_quality"}
TEXT_TYPES = ("Text", "MarkupText", "Tex", "MathTex", "SingleStringMathTex", "DecimalNumber", "Integer",
              "Paragraph", "Title", "BulletedList", "Code")
GROUP_TYPES = ("VGroup", "Group")  # recorded too: a group of texts is scaled as a whole


def emit(event: str, **data) -> None:
    line = MARK + json.dumps({"event": event, **data}) + "\n"
    with EMIT_LOCK:
        sys.stdout.write(line)
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

    Mobject.__init__ = init


class Control:
    """Orders from the parent on stdin (a warm run's; a cold run's is empty), read by a thread so they
    take effect at once: {"upto": n} ends the render after animation n, as `-n a,n` would, or after
    the animation now playing if that is later; the run answers {"event": "upto", "index": last}. A
    render started before validation finished thus becomes the first chunk once the chunks are planned."""

    def __init__(self, counter: list):
        import threading

        self.counter = counter
        threading.Thread(target=self._listen, name="t2m-control", daemon=True).start()

    def _listen(self) -> None:
        for line in sys.stdin.buffer:
            try:
                order = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(order, dict) and isinstance(order.get("upto"), int):
                from manim import config

                with PLAY_LOCK:
                    last = max(order["upto"], self.counter[0] - 1)
                    config.upto_animation_number = last
                emit("upto", index=last)


PLAY_LOCK = threading.Lock()  # an animation starts, or an order lands: never both at once


def count_plays() -> list:
    """Wrap the renderer's play so each animation announces itself (progress, chunk planning)."""
    from manim.renderer.cairo_renderer import CairoRenderer

    counter = [0]
    original = CairoRenderer.play

    def play(self, scene, *args, **kwargs):
        with PLAY_LOCK:
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

    manifest = io.BytesIO("".join(f"file 'file:{Path(p).resolve().as_posix()}'\n" for p in parts).encode())
    with av.open(manifest, format="concat", options={"safe": "0", "an": "1"}) as src, av.open(output, "w") as dst:
        stream = src.streams.video[0]
        out = dst.add_stream_from_template(template=stream)
        for packet in src.demux(stream):
            if packet.dts is None:  # demux's flushing packets
                continue
            packet.dts = None  # chunk timestamps restart at 0; let libav recompute them
            packet.stream = out
            dst.mux(packet)
    emit("video", path=relative(output))


def relative(path) -> str:
    """A path as the parent should read it: relative to the run's folder when inside it."""
    p = Path(path).resolve()
    try:
        return p.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(p)


def _import_shims():
    """scene_shims.py lies beside this file (in the sandbox and in the package alike)."""
    spec = importlib.util.spec_from_file_location("t2m_scene_shims", Path(__file__).resolve().parent / "scene_shims.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- Speed: what Manim does that a run does not need, or does in a way that races ---------------------

def tex_source(template, expression: str, environment: str | None) -> str:
    """The whole TeX document Manim compiles for a formula; its hash names the cached SVG."""
    if environment is not None:
        return template.get_texcode_for_expression_in_env(expression, environment)
    return template.get_texcode_for_expression(expression)


def preamble_format(source: str, formats: Path | None) -> Path | None:
    """The trusted step's dump of this document's preamble (a LaTeX format: the packages loaded once),
    if it made one: latex then starts in a third of the time and writes the same DVI."""
    if formats is None:
        return None
    preamble = source.partition(r"\begin{document}")[0]
    fmt = formats / (hashlib.sha256(preamble.encode()).hexdigest()[:16] + ".fmt")
    return fmt if fmt.is_file() else None


def dump_preamble_format(source: str, formats: Path) -> None:
    """Make the format for this document's preamble (mylatexformat stops at \begin{document})."""
    work = Path(tempfile.mkdtemp(prefix="fmt-", dir=formats))
    try:
        name = hashlib.sha256(source.partition(r"\begin{document}")[0].encode()).hexdigest()[:16]
        (work / "preamble.tex").write_text(source, encoding="utf-8")
        subprocess.run(["etex", "-ini", "-no-shell-escape", "-interaction=batchmode", f"-jobname={name}", "&latex",
                        "mylatexformat.ltx", "preamble.tex"], cwd=work, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=TEX_SECONDS)
        if (work / f"{name}.fmt").is_file():
            os.replace(work / f"{name}.fmt", formats / f"{name}.fmt")
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compile_formula(source: str, name: str, template, cache: Path, formats: Path | None = None) -> Path:
    """Compile one formula in a folder of its own and move the SVG into `cache` whole.

    Manim compiles in the cache folder itself and then deletes every file there that is not .svg/.tex:
    two processes sharing that folder delete each other's .dvi between latex and dvisvgm ("Your
    installation does not support converting .dvi files to SVG", issue 12.3). Here nothing is shared
    until the finished SVG is renamed into place, which is atomic. `formats`: where the trusted step
    keeps preamble formats (see preamble_format)."""
    from manim.utils import tex_file_writing as tfw

    work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=cache))
    tex = work / f"{name}.tex"
    tex.write_text(source, encoding="utf-8")
    fmt = template.output_format
    compilers = [template.tex_compiler] if isinstance(template.tex_compiler, str) else list(template.tex_compiler)
    preamble = preamble_format(source, formats) if compilers == ["latex"] else None
    for compiler in compilers:
        cmd = tfw.make_tex_compilation_command(compiler, fmt, tex, work)
        cmd[1:1] = ["-no-shell-escape"] + ([f"-fmt={preamble.with_suffix('')}"] if preamble else [])
        if subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=TEX_SECONDS).returncode != 0:
            log = tex.with_suffix(".log")
            tfw.print_all_tex_errors(log, compiler, tex)
            raise ValueError(f"{compiler} error converting to {fmt[1:]}. See log output above or the log file: {log}")
    svg = tex.with_suffix(".svg")
    proc = subprocess.run(["dvisvgm", *(["--pdf"] if fmt == ".pdf" else []), "--page=1", "--no-fonts",
                           "--verbosity=1", f"--output={svg}", str(tex.with_suffix(fmt))],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TEX_SECONDS)
    if not svg.is_file():
        raise ValueError(f"dvisvgm could not turn the compiled formula into SVG (exit code {proc.returncode}): "
                         f"{(proc.stderr or proc.stdout).strip()[-600:] or 'no output'}")
    final = cache / f"{name}.svg"
    os.replace(svg, final)
    shutil.rmtree(work, ignore_errors=True)
    return final


TEX_COUNTS = {"shared": 0, "private": 0, "compiled": 0}  # where this run's formulas came from
COMPILED_SOURCES: list = []  # what this run compiled privately, for the trusted step to adopt
TEX_SECONDS = 60  # one latex or dvisvgm run


def install_tex_cache(shared: Path | None) -> None:
    """Formulas come from the read-only shared cache when the trusted TeX step compiled them (same TeX
    source, same template, same Manim), else compile into this job's private cache."""
    from manim import config
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing as tfw

    def tex_to_svg_file(expression, environment=None, tex_template=None):
        template = tex_template if tex_template is not None else config["tex_template"]
        source = tex_source(template, expression, environment)
        name = tfw.tex_hash(source)
        if shared is not None and (shared / f"{name}.svg").is_file():
            TEX_COUNTS["shared"] += 1
            return shared / f"{name}.svg"
        private = config.get_dir("tex_dir")
        private.mkdir(parents=True, exist_ok=True)
        svg = private / f"{name}.svg"
        if svg.is_file():
            TEX_COUNTS["private"] += 1
            return svg
        svg = compile_formula(source, name, template, private, shared / "fmt" if shared else None)
        TEX_COUNTS["compiled"] += 1
        COMPILED_SOURCES.append(source)
        return svg

    tfw.tex_to_svg_file = tex_to_svg_file
    tex_mobject.tex_to_svg_file = tex_to_svg_file


def _replace_atomically(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    os.replace(tmp, path)


def install_atomic_text_files() -> None:
    """Pango writes a text's SVG in place and Manim then rewrites it: a run reading the same cache file
    meanwhile (a parallel chunk) would see half a file. Write aside, rename into place."""
    import manimpango
    from manimpango import PangoUtils

    text2svg = manimpango.text2svg

    def atomic_text2svg(settings, size, line_spacing, disable_liga, file_name, *rest):
        final = Path(file_name)
        _replace_atomically(final, lambda tmp: text2svg(settings, size, line_spacing, disable_liga, str(tmp), *rest))
        return str(final)

    def remove_last_m(file_name) -> None:
        path = Path(file_name)
        content = path.read_text()
        fixed = re.sub(r'Z M [^A-Za-z]*? "\/>', 'Z "/>', content)
        if fixed != content:  # a cached file is already fixed: never rewrite it
            _replace_atomically(path, lambda tmp: tmp.write_text(fixed))

    manimpango.text2svg = atomic_text2svg
    PangoUtils.remove_last_M = staticmethod(remove_last_m)


def install_private_svg_parsing() -> None:
    """SVGMobject writes a restyled copy beside the SVG it parses (a cache folder, maybe read-only or
    shared by parallel runs); give it a private folder instead."""
    from manim.mobject.svg.svg_mobject import SVGMobject

    generate = SVGMobject.generate_mobject

    def generate_mobject(self):
        source = self.get_file_path()
        with tempfile.TemporaryDirectory(prefix="t2m-svg-") as d:
            private = Path(d) / source.name
            shutil.copyfile(source, private)
            self.get_file_path = lambda: private
            try:
                return generate(self)
            finally:
                del self.get_file_path

    SVGMobject.generate_mobject = generate_mobject


def share_parsed_svg_paths() -> None:
    """Every copy of a formula deep-copies the parsed SVG path of each glyph (most of the time of
    Transform, FadeIn … on TeX). It is read once, to make the points, and never changed: share it.
    And a glyph's outline is parsed once per run, not once per use of it in every formula."""
    from copy import copy

    import svgelements

    svgelements.Path.__deepcopy__ = lambda self, memo: self
    parse, parsed = svgelements.Path.parse, {}

    def parse_once(self, pathdef):
        if self._segments or not isinstance(pathdef, str):  # appending to a path: as svgelements does
            return parse(self, pathdef)
        known = parsed.get(pathdef)
        if known is None:
            parse(self, pathdef)
            parsed[pathdef] = [copy(seg) for seg in self._segments]
        else:
            self._segments = [copy(seg) for seg in known]
            self._length = None

    svgelements.Path.parse = parse_once


def skip_frames_until_the_end() -> None:
    """Validation: no frame is drawn until the last one. With animations skipped Manim still paints the
    static and the moving mobjects once per animation; the scene graph, the durations and the final
    frame do not need it."""
    from manim.renderer.cairo_renderer import CairoRenderer

    update_frame, scene_finished = CairoRenderer.update_frame, CairoRenderer.scene_finished

    def lazy_update_frame(self, *args, **kwargs):
        if getattr(self, "_t2m_last_frame", False):
            update_frame(self, *args, **kwargs)

    def finished(self, scene):
        self._t2m_last_frame = True
        return scene_finished(self, scene)

    def no_static_frame(self, scene, static_mobjects):
        self.static_image = None

    CairoRenderer.update_frame = lazy_update_frame
    CairoRenderer.scene_finished = finished
    CairoRenderer.save_static_frame_data = no_static_frame
    CairoRenderer.render = lambda self, scene, time, moving_mobjects=None: None


# -- The trusted TeX step -------------------------------------------------------------------------------
# `texbatch` mode never loads a scene. It reads JSON on stdin: "items", formulas written literally in a
# scene ({"cls": "MathTex", "args": [...], "kwargs": {...}}), which Manim's own classes turn into the
# TeX documents Manim would compile, and "sources", TeX documents a job compiled privately at run time.
# It compiles those the shared cache lacks into it (--shared-tex, writable only here), naming each by the
# hash of its source as Manim does. Inert formulas (allow-listed commands, balanced braces, Manim's
# default preamble) share one latex run, a page each, and one dvisvgm run; any error there and each is
# compiled alone, as is every other document, so no formula can change how another is drawn. It answers
# {"event": "tex", "items": [{"names": [...]}|{"error": e}], "compiled": n}.

TEX_CLASSES = ("MathTex", "Tex", "SingleStringMathTex", "Title", "BulletedList")
STANDALONE = r"\documentclass[preview]{standalone}"
BATCH_CLASS = r"\documentclass[preview,multi=t2mpage]{standalone}"
INERT_COMMANDS = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho
varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon
Phi Psi Omega frac dfrac tfrac cfrac sqrt sum prod coprod int iint iiint oint bigcup bigcap bigoplus
bigotimes lim limsup liminf inf sup max min log ln lg exp sin cos tan cot sec csc arcsin arccos arctan
sinh cosh tanh coth det dim ker deg gcd lcm Pr arg hom mod bmod pmod left right big Big bigg Bigg bigl
bigr Bigl Bigr biggl biggr middle cdot cdots ldots dots ddots vdots times div pm mp ast star circ bullet
oplus otimes odot wedge vee leq geq neq le ge ne leqslant geqslant approx equiv sim simeq cong propto ll
gg subset supset subseteq supseteq subsetneq in notin ni cup cap setminus emptyset varnothing forall
exists nexists neg lnot land lor implies iff to mapsto gets rightarrow leftarrow Rightarrow Leftarrow
leftrightarrow Leftrightarrow longrightarrow Longrightarrow longleftarrow longleftrightarrow uparrow
downarrow nearrow searrow infty partial nabla hbar ell Re Im aleph prime angle triangle square mathbb
mathbf mathrm mathit mathcal mathfrak mathsf mathtt boldsymbol operatorname text textbf textit textrm
textsf texttt mbox hat bar vec dot ddot tilde widehat widetilde overline underline overbrace underbrace
overrightarrow overleftarrow binom tbinom dbinom displaystyle textstyle scriptstyle quad qquad mid
parallel perp vert Vert lvert rvert lVert rVert langle rangle lfloor rfloor lceil rceil lbrace rbrace
colon top bot models vdash dagger intercal
""".split())
INERT_SYMBOLS = frozenset(",;!:{}%$&#_ |\\")
MANIM_GROUP = re.compile(r"\\special\{dvisvgm:raw <g id='unique\d+(substring)?'>\}|\\special\{dvisvgm:raw </g>\}")


def inert_tex(text: str) -> bool:
    """True if this TeX can only typeset: allow-listed commands, balanced braces and \\left/\\right, no
    math shifts, parameters, comments or ^^ escapes. Such formulas may share one latex run."""
    if "^^" in text or re.search(r"(?<!\\)[$#%]", text):
        return False
    if any(cmd not in INERT_COMMANDS and cmd not in INERT_SYMBOLS for cmd in re.findall(r"\\([A-Za-z]+|.)", text)):
        return False
    depth = 0
    for token in re.findall(r"\\.|[{}]", text):
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            return False
    return depth == 0 and len(re.findall(r"\\left(?![A-Za-z])", text)) == len(re.findall(r"\\right(?![A-Za-z])", text))


def _batchable_source(source: str, preamble: str) -> bool:
    """Manim's default preamble and an inert body in one environment (Manim's group marks aside)."""
    head, sep, rest = source.partition(r"\begin{document}")
    body = MANIM_GROUP.sub(" ", rest.rpartition(r"\end{document}")[0])
    env = re.fullmatch(r"\s*\\begin\{(align\*|center)\}(.*)\\end\{\1\}\s*", body, re.S)
    return bool(sep) and head == preamble and env is not None and inert_tex(env.group(2))


class _Recorded(Exception):
    """Raised by the recording tex_to_svg_file: the TeX document is all the trusted step wants."""


def _tex_documents(items: list) -> list:
    """(source, name) per item as Manim would compile it, or an error string."""
    import manim
    from manim import config
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing as tfw

    def record(expression, environment=None, tex_template=None):
        template = tex_template if tex_template is not None else config["tex_template"]
        source = tex_source(template, expression, environment)
        raise _Recorded(source, tfw.tex_hash(source))

    original = tfw.tex_to_svg_file
    tfw.tex_to_svg_file = tex_mobject.tex_to_svg_file = record
    out = []
    try:
        for item in items:
            try:
                if item.get("cls") not in TEX_CLASSES:
                    raise ValueError(f"not a TeX class: {item.get('cls')!r}")
                getattr(manim, item["cls"])(*item.get("args", []), **item.get("kwargs", {}))
                out.append("no formula")
            except _Recorded as rec:
                out.append(rec.args)
            except Exception as exc:  # a literal Manim itself refuses: the scene will say so
                out.append(f"{type(exc).__name__}: {exc}")
    finally:
        tfw.tex_to_svg_file = tex_mobject.tex_to_svg_file = original
    return out


def _compile_batch(docs: list, cache: Path) -> list:
    """One latex run with a page per formula, one dvisvgm run; [] unless every page came out clean."""
    work = Path(tempfile.mkdtemp(prefix="batch-", dir=cache))
    try:
        pre = docs[0][0].split(r"\begin{document}", 1)[0].replace(STANDALONE, BATCH_CLASS, 1)
        pages = "".join(r"\begin{t2mpage}" + src.split(r"\begin{document}", 1)[1].rsplit(r"\end{document}", 1)[0]
                        + "\\end{t2mpage}\n" for src, _ in docs)
        (work / "batch.tex").write_text(pre + "\\begin{document}\n" + pages + "\\end{document}\n", encoding="utf-8")
        latex = subprocess.run(["latex", "-no-shell-escape", "-interaction=batchmode", "batch.tex"], cwd=work,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=TEX_SECONDS)
        log = (work / "batch.log").read_text(errors="replace") if (work / "batch.log").exists() else "!"
        if latex.returncode != 0 or any(line.startswith("!") for line in log.splitlines()):
            return []
        subprocess.run(["dvisvgm", "--page=1-", "--no-fonts", "--verbosity=0", "--output=page-%p.svg", "batch.dvi"],
                       cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=TEX_SECONDS)
        pages = {int(f.stem[5:]): f for f in work.glob("page-*.svg") if f.stem[5:].isdigit()}  # %p pads
        if sorted(pages) != list(range(1, len(docs) + 1)):
            return []
        for (_, name), svg in zip(docs, (pages[k] for k in sorted(pages))):
            os.replace(svg, cache / f"{name}.svg")
        return [name for _, name in docs]
    except subprocess.TimeoutExpired:
        return []
    finally:
        shutil.rmtree(work, ignore_errors=True)


def tex_batch(cache: Path) -> int:
    from manim import config
    from manim.utils import tex_file_writing as tfw

    request = json.loads(sys.stdin.read() or "{}")
    items, sources = request.get("items", []), [s for s in request.get("sources", []) if isinstance(s, str)]
    docs = _tex_documents(items)
    default = tex_source(config["tex_template"], "", "align*")
    preamble = default.partition(r"\begin{document}")[0]
    formats = cache / "fmt"
    formats.mkdir(parents=True, exist_ok=True)
    if preamble_format(default, formats) is None:
        dump_preamble_format(default, formats)
    todo: dict = {}  # name -> (source, may share a latex run)
    for item, doc in zip(items, docs):
        if isinstance(doc, tuple):
            texts = [*item.get("args", []), *item.get("kwargs", {}).get("substrings_to_isolate", []),
                     *item.get("kwargs", {}).get("tex_to_color_map", {})]
            todo[doc[1]] = (doc[0], doc[0].startswith(STANDALONE) and all(inert_tex(str(t)) for t in texts))
    for src in sources:
        todo[tfw.tex_hash(src)] = (src, _batchable_source(src, preamble))
    todo = {name: v for name, v in todo.items() if not (cache / f"{name}.svg").exists()}
    batch = [(src, name) for name, (src, inert) in todo.items() if inert]
    done = set(_compile_batch(batch, cache)) if len(batch) > 1 else set()
    for name, (src, _) in todo.items():
        if name not in done:
            try:
                compile_formula(src, name, config["tex_template"], cache, formats)
                done.add(name)
            except Exception as exc:  # the scene compiles it privately and reports TeX's own error
                print(f"{name}: {exc}", file=sys.stderr)
                for left in cache.glob(f"{name}-*"):
                    shutil.rmtree(left, ignore_errors=True)
    answers = [{"names": [doc[1]]} if isinstance(doc, tuple) and (cache / f"{doc[1]}.svg").exists()
               else {"error": doc if isinstance(doc, str) else "did not compile"} for doc in docs]
    emit("tex", items=answers, compiled=len(done))
    return 0


def configure(args) -> None:
    from manim import config

    config.quality = QUALITY[args.quality]
    config.media_dir = args.out
    if args.cache:  # one private TeX/text cache per job, shared by its runs (all writes are atomic)
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


def install_speedups(args) -> None:
    install_tex_cache(Path(args.shared_tex) if args.shared_tex else None)
    install_atomic_text_files()
    install_private_svg_parsing()
    share_parsed_svg_paths()
    if args.mode == "validate":
        skip_frames_until_the_end()


def parse_args(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["validate", "render", "concat", "serve", "texbatch"])
    ap.add_argument("scene_file", nargs="?", help="the scene (validate, render) or the output video (concat)")
    ap.add_argument("--part", action="append", default=[], help="concat: a chunk video, in order")
    ap.add_argument("--scene")
    ap.add_argument("--quality", default="l")
    ap.add_argument("--format", default="mp4")
    ap.add_argument("--out", default=".")
    ap.add_argument("--cache", help="folder for compiled TeX and text, shared by a job's runs")
    ap.add_argument("--shared-tex", help="read-only folder of formulas compiled by the trusted TeX step")
    ap.add_argument("--from-anim", type=int)
    ap.add_argument("--upto-anim", type=int)
    ap.add_argument("--output-name")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.mode == "serve":
        return serve()
    if args.mode == "texbatch":
        return tex_batch(Path(args.shared_tex))
    stage = "validate" if args.mode == "validate" else "render"
    if args.mode != "concat":
        args.scene_file = str(Path(args.scene_file).resolve())
    try:
        if args.mode == "concat":
            concat(args.part, args.scene_file)
            return 0
        configure(args)
        install_speedups(args)
        scene_shims = _import_shims()
        scene_shims.install(args.scene_file)
        counter = count_plays()
        if args.mode == "render":
            Control(counter)
        if args.mode == "validate":
            record_creation_lines(args.scene_file)
        cls = load_scene_class(args.scene_file, args.scene)
        scene = cls()
        scene.render()
        fw = scene.renderer.file_writer
        if args.mode == "validate":
            png = Path(fw.image_file_path) if getattr(fw, "image_file_path", None) else None
            if png and png.exists():
                emit("preview", path=relative(png))  # before the layout check: the app shows it at once
        elif args.format == "png":  # a scene that never animates: its still, as plain manim makes it
            emit("image", path=relative(fw.image_file_path))
        else:
            path = fw.gif_file_path if args.format == "gif" else fw.movie_file_path
            emit("video", path=relative(path))
        warnings = layout_warnings(scene) if args.mode == "validate" else []
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # latex, dvisvgm
        emit("done", animations=counter[0], warnings=warnings, scene=cls.__name__, shims=scene_shims.NOTES,
             tex=TEX_COUNTS, tex_sources=COMPILED_SOURCES[:200] if args.mode == "validate" else [],
             cpu_seconds=round(time.process_time() + children.ru_utime + children.ru_stime, 3))
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


# -- The warm worker -----------------------------------------------------------------------------------
# One worker serves one job and is then discarded, so jobs stay as isolated as with a fresh process each.
# It sits behind the same bubblewrap walls as a cold run, in an empty slot folder (the job's inputs are
# copied in when the job takes it). Commands arrive as JSON lines on stdin:
#   {"op": "run", "id": i, "args": [runner args], "limits": {"memory": b, "cpu": s, "file": b}}
#   {"op": "kill", "id": i}                 EOF on stdin: kill every run and exit
#   {"op": "input", "id": i, "order": {...}} a line on the run's stdin (see Control)
# Each run is a child forked from the worker before any scene code ran here, with the limits lowered in
# the child; its stdout/stderr come back as MARK lines tagged with "run": the runner's own messages, and
#   {"run": i, "event": "log", "text": t}   {"run": i, "event": "exit", "status": s}  (s < 0: a signal)
# The worker itself announces {"event": "ready"} once Manim is imported.

LINE_LIMIT = 1 << 20  # a child line longer than this goes to the log in pieces
ORPHAN_PIPE_SECONDS = 2.0


def _send(obj: dict) -> None:
    data = (MARK + json.dumps(obj) + "\n").encode()
    while data:
        data = data[os.write(1, data):]


def warm_up() -> None:
    """Import what every scene imports, and load what Manim loads on its first use, outside any job."""
    import av  # noqa: F401
    import manim  # noqa: F401
    import manimpango  # noqa: F401
    import svgelements  # noqa: F401
    from manim.scene.scene_file_writer import SceneFileWriter  # noqa: F401

    manimpango.list_fonts()  # fontconfig reads its caches once, here instead of in every run


class _Run:
    def __init__(self, run_id, pid: int, out_fd: int, err_fd: int, in_fd: int):
        self.id, self.pid, self.stdin = run_id, pid, in_fd
        self.fds = {out_fd: "out", err_fd: "err"}
        self.partial = b""
        self.status = None
        self.ended = 0.0

    def forward(self, kind: str, chunk: bytes) -> None:
        if kind == "err":
            _send({"run": self.id, "event": "log", "text": chunk.decode("utf-8", "replace")})
            return
        self.partial += chunk
        *lines, self.partial = self.partial.split(b"\n")
        if len(self.partial) > LINE_LIMIT:
            lines.append(self.partial)
            self.partial = b""
        for raw in lines:
            self.forward_line(raw)

    def forward_line(self, raw: bytes) -> None:
        line = raw.decode("utf-8", "replace")
        if line.startswith(MARK):
            try:
                msg = json.loads(line[len(MARK):])
                if isinstance(msg, dict):
                    _send({**msg, "run": self.id})
                    return
            except json.JSONDecodeError:
                pass
        _send({"run": self.id, "event": "log", "text": line + "\n"})


def _lower_limits(limits: dict) -> None:
    for rlimit, key, extra in ((resource.RLIMIT_AS, "memory", 0), (resource.RLIMIT_CPU, "cpu", 5),
                               (resource.RLIMIT_FSIZE, "file", 0)):
        if limits.get(key):
            hard = resource.getrlimit(rlimit)[1]
            soft = int(limits[key]) if hard == resource.RLIM_INFINITY else min(int(limits[key]), hard)
            top = soft + extra if hard == resource.RLIM_INFINITY else min(soft + extra, hard)
            resource.setrlimit(rlimit, (soft, top))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _fork_run(cmd: dict, runs: dict, sel) -> None:
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: one run of the job, as a fresh process would run it
        code = 1
        try:
            os.setpgid(0, 0)
            sel.close()
            for run in runs.values():
                for fd in [*run.fds, run.stdin]:
                    os.close(fd)
            for fd in (in_w, out_r, err_r):
                os.close(fd)
            os.dup2(in_r, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in (in_r, out_w, err_w):
                os.close(fd)
            _lower_limits(cmd.get("limits") or {})
            code = main([str(a) for a in cmd["args"]])
        except BaseException:
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    for fd in (in_r, out_w, err_w):
        os.close(fd)
    os.set_blocking(in_w, False)  # a run that stops reading its orders must not stall the worker
    run = _Run(cmd["id"], pid, out_r, err_r, in_w)
    runs[run.id] = run
    for fd in run.fds:
        sel.register(fd, selectors.EVENT_READ, run)


def _kill(run: _Run) -> None:
    try:
        os.killpg(run.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _command(line: bytes, runs: dict, sel) -> None:
    try:
        cmd = json.loads(line)
    except json.JSONDecodeError:
        return
    if cmd.get("op") == "run" and cmd.get("id") not in runs:
        _fork_run(cmd, runs, sel)
    elif cmd.get("op") == "kill" and cmd.get("id") in runs:
        _kill(runs[cmd["id"]])
    elif cmd.get("op") == "input" and cmd.get("id") in runs:
        try:
            os.write(runs[cmd["id"]].stdin, (json.dumps(cmd.get("order", {})) + "\n").encode())
        except OSError:
            pass


def _reap(runs: dict, sel) -> None:
    """Report runs whose process ended and whose output is drained; kill what they left behind."""
    for run in list(runs.values()):
        if run.status is None:
            pid, status = os.waitpid(run.pid, os.WNOHANG)
            if not pid:
                continue
            run.status, run.ended = os.waitstatus_to_exitcode(status), time.monotonic()
            _kill(run)  # e.g. a latex still holding the pipes open
        if run.fds and time.monotonic() - run.ended > ORPHAN_PIPE_SECONDS:  # held open by an escaped process
            for fd in list(run.fds):
                sel.unregister(fd)
                os.close(fd)
            run.fds.clear()
        if not run.fds:
            if run.partial:
                run.forward_line(run.partial)
            _send({"run": run.id, "event": "exit", "status": run.status})
            os.close(run.stdin)
            del runs[run.id]


def serve() -> int:
    warm_up()
    _send({"event": "ready"})
    sel = selectors.DefaultSelector()
    sel.register(0, selectors.EVENT_READ, None)
    runs: dict = {}
    pending, stdin_open = b"", True
    while stdin_open or runs:
        for key, _ in sel.select(timeout=0.05):
            chunk = os.read(key.fd, 65536)
            if key.data is None:  # a command
                if not chunk:
                    stdin_open = False
                    sel.unregister(0)
                    for run in runs.values():
                        _kill(run)
                    continue
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    _command(line, runs, sel)
            elif chunk:
                key.data.forward(key.data.fds[key.fd], chunk)
            else:
                sel.unregister(key.fd)
                os.close(key.fd)
                del key.data.fds[key.fd]
        _reap(runs, sel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
