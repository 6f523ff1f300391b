"""What Manim does that a run does not need, or does in a way that races: replaced at run start."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from .tex import install_tex_cache


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

    setattr(SVGMobject, "generate_mobject", generate_mobject)



def share_parsed_svg_paths() -> None:
    """Every copy of a formula deep-copies the parsed SVG path of each glyph (most of the time of
    Transform, FadeIn … on TeX). It is read once, to make the points, and never changed: share it.
    And a glyph's outline is parsed once per run, not once per use of it in every formula."""
    from copy import copy

    import svgelements

    svgelements.Path.__deepcopy__ = lambda self, memo: self
    parse = svgelements.Path.parse
    parsed: dict = {}

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

    setattr(CairoRenderer, "update_frame", lazy_update_frame)
    setattr(CairoRenderer, "scene_finished", finished)
    setattr(CairoRenderer, "save_static_frame_data", no_static_frame)
    setattr(CairoRenderer, "render", lambda self, scene, time, moving_mobjects=None: None)



def install_speedups(args) -> None:
    install_tex_cache(Path(args.shared_tex) if args.shared_tex else None)
    install_atomic_text_files()
    install_private_svg_parsing()
    share_parsed_svg_paths()
    if args.mode == "validate":
        skip_frames_until_the_end()
