"""Render settings a scene sets for itself, left to the app.

Models copy `config.pixel_height = 1080`, `config.frame_rate = 60` or `config.renderer = "opengl"` into the
file. The app chooses quality, format and where files go (`-q`, `--format`, the job folder) and sizes the
sandbox's memory for that choice: a scene that quietly renders at 1080p inside limits made for 480p crashes
the encoder, one that switches renderer or output folder loses its video. Such assignments become `pass`
with the reason, each a Fix; everything else in `config` (colours, frame size in scene units) stays.
"""
from __future__ import annotations

import ast

from text_to_manim.events import Fix
from text_to_manim.fixes.edits import Edit, Starts, rewrite, span

APP_CHOOSES = frozenset({
    "pixel_height", "pixel_width", "frame_rate", "quality", "renderer", "format", "media_dir", "video_dir",
    "images_dir", "output_file", "movie_file_extension", "write_to_movie", "save_last_frame", "preview",
    "save_as_gif", "disable_caching", "flush_cache", "from_animation_number", "upto_animation_number",
})


def _setting(target: ast.expr) -> str | None:
    """`config.name` or `config["name"]` -> name."""
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "config":
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id == "config" \
            and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
        return target.slice.value
    return None


def _edits(code: str, tree: ast.Module, starts: Starts) -> list[Edit]:
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        else:
            continue
        names = [_setting(t) for t in targets]
        if names and all(n in APP_CHOOSES for n in names):
            a, b = span(starts, node)
            settings = ", ".join(f"config.{n}" for n in names)
            edits.append(Edit(a, b, f"pass  # {settings}: the app chooses it (quality, format, job folder)",
                              f"{settings} left to the app: it renders at the quality and format asked for, "
                              "with the memory that needs"))
    return edits


def leave_to_the_app(code: str, fixes: list[Fix]) -> str:
    return rewrite(code, fixes, _edits)
