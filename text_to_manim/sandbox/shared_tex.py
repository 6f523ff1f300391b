"""The shared formula cache's folder: what every run sees read-only at /opt/t2m/tex, one per tool version.

Only the trusted TeX step writes it (tex/formula_cache.py); the sandbox mounts it (walls.bwrap_command) and
the warm workers are keyed on it, hence it is decided here, below both.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from text_to_manim import config
from text_to_manim.sandbox.runner import tex as runner_tex


@lru_cache(maxsize=1)
def version_key() -> str:
    """Entries are valid for one Manim, one TeX and one dvisvgm: a folder per combination (the tools
    known by their installed files, which an upgrade replaces: no process to start on every job) and one
    trusted step (its source: a fix to how it compiles never reads what an older step wrote)."""
    parts = [f"manim {metadata.version('manim')}", hashlib.sha256(Path(runner_tex.__file__).read_bytes()).hexdigest()]
    for tool in ("latex", "dvisvgm"):
        path = shutil.which(tool)
        try:
            st = os.stat(os.path.realpath(path)) if path else None
        except OSError:
            st = None
        parts.append(f"{tool} {os.path.realpath(path)} {st.st_size} {st.st_mtime_ns}" if path and st else f"no {tool}")
    return f"manim-{metadata.version('manim')}-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def shared_dir(settings: config.Settings) -> Path:
    return settings.media_dir / "cache" / "tex" / version_key()


def ensure_dir(settings: config.Settings) -> Path:
    path = shared_dir(settings)
    (path / "index").mkdir(parents=True, exist_ok=True)
    return path
