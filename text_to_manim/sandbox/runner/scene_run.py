"""One run of a scene (validate, render; concat, mux of its videos): configure Manim, count plays, report."""
from __future__ import annotations

import argparse
import faulthandler
import importlib.util
import json
import resource
import sys
import threading
import time
import traceback
from pathlib import Path
from types import FrameType

from . import mux
from .layout_facts import layout_warnings, record_creation_lines
from .protocol import emit, getter_misuse, latex_failure, missing_attribute, relative, scene_line
from .speedups import install_speedups
from .tex import COMPILED_SOURCES, TEX_COUNTS, tex_batch
from .voiceover import install as install_voiceover

QUALITY = {"l": "low_quality", "m": "medium_quality", "h": "high_quality", "k": "fourk_quality"}



class Control:
    """Orders from the parent on stdin (a warm run's; a cold run's is empty), read by a thread so they
    take effect at once: {"upto": n} ends the render after animation n, as `-n a,n` would, or after
    the animation now playing if that is later; the run answers {"event": "upto", "index": last}. A
    render started before validation finished thus becomes the first chunk once the chunks are planned."""

    def __init__(self, counter: list):
        import threading

        self.counter = counter
        self.ordered = False  # an order came: this run may end before the scene does (a chunk)
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
                    self.ordered = True
                    last = max(order["upto"], self.counter[0] - 1)
                    config.upto_animation_number = last
                emit("upto", index=last)



PLAY_LOCK = threading.Lock()  # an animation starts, or an order lands: never both at once



def count_plays(scene_file: str = "") -> list:
    """Wrap the renderer's play so each animation announces itself, with the scene's line that played it
    (progress, chunk planning, and what a crashed run was doing)."""
    from manim import config
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.utils.exceptions import EndSceneEarlyException

    counter = [0]
    original = CairoRenderer.play

    def play(self, scene, *args, **kwargs):
        with PLAY_LOCK:
            index, start = counter[0], self.time
            emit("play", index=index, line=_line_in(scene_file))
            counter[0] += 1
        result = original(self, scene, *args, **kwargs)
        emit("played", index=index, seconds=round(self.time - start, 4))
        with PLAY_LOCK:
            last = config.upto_animation_number
        if last is not None and last >= 0 and index >= last:
            # the range ends here: Manim would end it only when the next play starts, after running the
            # scene's code up to it (which may be what fails: a partial video stops before that code)
            raise EndSceneEarlyException()
        return result

    setattr(CairoRenderer, "play", play)  # replaced at run time: Manim's own method, counted
    return counter



def _line_in(scene_file: str) -> int | None:
    """The line of the scene file that the current call came from (the nearest such frame), or None."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename != scene_file:
        frame = frame.f_back
    return frame.f_lineno if frame is not None else None


def load_scene_class(scene_file: str, name: str | None):
    from manim import Scene

    spec = importlib.util.spec_from_file_location("t2m_scene", scene_file)
    assert spec is not None and spec.loader is not None  # a .py file always has a spec and a loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["t2m_scene"] = module
    # From the source, never a cached .pyc: a repair that keeps the file's size within the same second
    # (Create -> FadeIn) would otherwise run the bytecode of the code before it.
    source = importlib.util.decode_source(Path(scene_file).read_bytes())
    exec(compile(source, scene_file, "exec"), module.__dict__)
    classes = [v for v in vars(module).values()
               if isinstance(v, type) and issubclass(v, Scene) and v.__module__ == "t2m_scene"]
    if name:
        match = [c for c in classes if c.__name__ == name]
        if not match:
            found = ", ".join(c.__name__ for c in classes) or "none"
            raise LookupError(f"no Scene named {name!r} in the code (found: {found})")
        return match[0]
    if not classes:
        raise LookupError("the code defines no Scene subclass with a construct method")
    return classes[-1]



def _seconds(path: str) -> float:
    """A clip's length from its packets (no decoding): where the next clip starts in a joined video."""
    import av

    with av.open(path) as src:
        stream = src.streams.video[0]
        end = max((p.pts + (p.duration or 0) for p in src.demux(stream) if p.pts is not None), default=0)
        return float(end * stream.time_base) if stream.time_base else 0.0


def concat(parts: list[str], output: str, chapters: list[str] | None = None, plan: str | None = None) -> None:
    """Join chunk videos without re-encoding (the concat demuxer, as Manim joins its partial movies). With
    `chapters` (one title per part: a lesson's scenes), the output carries one chapter per part and, when
    any part speaks, one narration track: each part's audio at its chapter's start, silence for a silent
    part (made here, in the sandbox), so sound and chapters stay together; the video is still not
    re-encoded. With `plan` (a scene's narration, as mux mode reads it: mux.PLAN_FILE), its track goes in
    as the joined video's audio, in the same pass, and is reported as mux mode reports it."""
    import io
    from fractions import Fraction

    import av

    marks: list[dict] = []
    lengths: list[float] = []
    if chapters:
        start = 0.0
        for i, (part, title) in enumerate(zip(parts, chapters)):
            lengths.append(_seconds(part))
            end = start + lengths[-1]
            marks.append({"id": i + 1, "title": title, "start": round(start, 3), "end": round(end, 3)})
            start = end
    sounds = [mux.decode(Path(p)) for p in parts] if chapters else []
    audio = (mux.joined_track(list(zip(lengths, sounds)), sum(lengths))
             if any(a is not None for a in sounds) else None)
    if plan:
        try:
            clips = json.loads(Path(plan).read_text()).get("clips", [])
            audio = mux.track([(float(c["start"]), Path(c["audio"])) for c in clips], sum(_seconds(p) for p in parts))
        except Exception as exc:  # the join still happens; the app says why the video is silent
            emit("mux_failed", message=f"{type(exc).__name__}: {exc}"[:500])
            plan = None
    manifest = io.BytesIO("".join(f"file 'file:{Path(p).resolve().as_posix()}'\n" for p in parts).encode())
    with av.open(manifest, format="concat", options={"safe": "0", "an": "1"}) as src, av.open(output, "w") as dst:
        stream = src.streams.video[0]
        out = dst.add_stream_from_template(template=stream)
        aout = mux.audio_stream(dst, Path(output).suffix) if audio is not None else None
        if marks:  # in milliseconds: the mp4 muxer writes them before the first packet
            dst.set_chapters([{"id": m["id"], "start": int(m["start"] * 1000), "end": int(m["end"] * 1000),
                               "time_base": Fraction(1, 1000), "metadata": {"title": m["title"]}} for m in marks])
        assert isinstance(src, av.container.InputContainer)  # opened for reading
        for packet in src.demux(stream):
            if packet.dts is None:  # demux's flushing packets
                continue
            packet.dts = None  # chunk timestamps restart at 0; let libav recompute them
            packet.stream = out
            dst.mux(packet)
        if aout is not None and audio is not None:
            mux.encode(dst, aout, audio)
    if marks:
        emit("chapters", chapters=marks)
    emit("video", path=relative(output))
    if plan:
        got = mux.probe(Path(output))
        emit("muxed", path=relative(output), video=got.video, audio=got.audio, found_audio=None, remuxed=True)




def narrate_here(video: Path, output: Path) -> None:
    """The whole scene rendered: its narration muxed in by this run (voiceover.PLACED). A failure is said,
    never the run's: the app then muxes in a run of its own, or keeps the video silent and says why."""
    from .voiceover import PLACED

    try:
        mux.narrate(video, [(start, Path(wav)) for start, wav in PLACED], output)
    except Exception as exc:
        emit("mux_failed", message=f"{type(exc).__name__}: {exc}"[:500])


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
        setattr(config, "write_to_movie", False)  # a ManimConfig property its stubs do not list
        config.quality = "low_quality"
    if args.from_anim is not None:
        config.from_animation_number = args.from_anim
    if args.upto_anim is not None:
        config.upto_animation_number = args.upto_anim
    if args.output_name:
        config.output_file = args.output_name



def parse_args(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["validate", "render", "concat", "mux", "serve", "texbatch"])
    ap.add_argument("scene_file", nargs="?",
                    help="the scene (validate, render), the output video (concat), the plan (mux)")
    ap.add_argument("--part", action="append", default=[], help="concat: a chunk video, in order")
    ap.add_argument("--chapter", action="append", default=[], help="concat: a chapter title per part, in order")
    ap.add_argument("--mux-plan", help="concat: the scene's narration plan, muxed in while joining")
    ap.add_argument("--narrated", help="render: where the video with its narration goes, when the run plays "
                                       "the whole scene")
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
        from .serve import serve  # only the worker needs it

        return serve(main)
    if args.mode == "texbatch":
        return tex_batch(Path(args.shared_tex))
    stage = "validate" if args.mode == "validate" else "render"
    # A crash in native code (cairo, numpy, the encoder) ends the process with no Python exception: the
    # interpreter's own dump of the stack to the log is then what says which scene line was running.
    faulthandler.enable(file=sys.stderr)
    if args.mode not in ("concat", "mux"):
        args.scene_file = str(Path(args.scene_file).resolve())
    try:
        if args.mode == "concat":
            concat(args.part, args.scene_file, args.chapter or None, args.mux_plan)
            return 0
        if args.mode == "mux":  # the narration track added to the rendered video (mux.py)
            mux.run(args.scene_file)
            return 0
        configure(args)
        install_speedups(args)
        from . import shims as scene_shims  # imported here: it imports Manim

        scene_shims.install(args.scene_file)
        install_voiceover(Path.cwd())  # `import manim_voiceover` works; narration from the trusted step
        counter = count_plays(args.scene_file)
        control = Control(counter) if args.mode == "render" else None
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
            if args.narrated and not args.from_anim and args.upto_anim is None and not (control and control.ordered):
                narrate_here(Path(path), Path(args.narrated))
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
        kind = type(exc).__name__
        try:
            misuse = getter_misuse(exc, args.scene_file)
            if misuse:  # the method the scene called, not Mobject's generic getter
                message, kind = misuse, "AttributeError"
            else:
                message += missing_attribute(exc) or ""  # what the live object has instead (the repair's candidates)
        except Exception:  # reading the scene's objects is a courtesy: the error itself is reported as it was
            pass
        if isinstance(exc, MemoryError):
            message = "the scene ran out of memory (the sandbox's memory limit); use fewer or simpler objects"
        traceback.print_exc(file=sys.stderr)
        emit("error", type=kind, message=message[:2000], line=line, source_line=source,
             stage="latex" if latex_failure(exc) else stage)
        return 1
