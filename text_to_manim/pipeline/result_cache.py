"""The result cache: the same code at the same quality and format gives back the earlier video (or still
image) at once.

It sits in the pipeline, so every front end gets it (CLI renders, Gallery clicks, "Render this code"
without changes, a prompt answered with code already rendered). The key covers everything the video
depends on: the code, the scene asked for, quality, format, whether the layout rules may rewrite it, the
Manim version and the source of the sandbox runner, scene shims and layout rules. An entry is a folder
media/cache/results/<key>/ holding the video (or still), the preview and meta.json. The cache is bounded
(T2M_RESULT_CACHE_MB, 0 turns it off); the least recently used entries go first. `make clean-media`
removes it with the rest of media/.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from text_to_manim import config
from text_to_manim.fixes import layout
from text_to_manim.sandbox.walls import RUNNER_DIR

META = "meta.json"
ENTRY_FORMAT = 2  # what meta.json holds; entries of another format are not used


@dataclass
class Entry:
    video: Path
    preview: Optional[Path] = None
    meta: dict = field(default_factory=dict)  # scene, animations, warnings, chunks, job_id


def root(settings: config.Settings) -> Path:
    return settings.media_dir / "cache" / "results"


@lru_cache(maxsize=1)
def _renderer_version() -> str:
    sources = (*sorted(RUNNER_DIR.glob("*.py")), Path(layout.__file__))
    parts = [metadata.version("manim")] + [f.read_bytes().hex() for f in sources]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def key(code: str, scene: Optional[str], quality: str, fmt: str, layout_rules: bool = False,
        narration: str = "") -> str:
    """`layout_rules`: the pipeline may rewrite the code to fit the frame (layout.py) before it renders;
    `narration`: the speech settings a scene with voice-over is rendered with (voice, speed, on/off, burn)."""
    payload = json.dumps({"code": code, "scene": scene or "", "quality": quality, "format": fmt,
                          **({"narration": narration} if narration else {}),
                          "layout_rules": layout_rules, "renderer": _renderer_version(), "entry": ENTRY_FORMAT},
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def lookup(settings: config.Settings, k: str) -> Optional[Entry]:
    """The entry for this key if it is complete; marks it used."""
    if settings.result_cache_mb <= 0:
        return None
    folder = root(settings) / k
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        video = folder / meta["video"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not video.is_file():
        return None
    preview = folder / "preview.png"
    os.utime(folder / META)  # recently used: evicted last
    return Entry(video=video, preview=preview if preview.is_file() else None, meta=meta)


def store(settings: config.Settings, k: str, video: Path, preview: Optional[Path], meta: dict,
          extras: tuple[Path, ...] = ()) -> None:
    """Keep a finished render (and `extras` that go with it: its captions); written aside and renamed into
    place, then the cache is trimmed."""
    if settings.result_cache_mb <= 0:
        return
    base = root(settings)
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".{k}.{os.getpid()}.{secrets.token_hex(4)}.tmp"  # jobs are threads: one folder each
    tmp.mkdir()
    place(video, tmp / video.name)
    if preview and preview.is_file():
        place(preview, tmp / "preview.png")
    for extra in extras:
        place(extra, tmp / extra.name)
    (tmp / META).write_text(json.dumps({**meta, "video": video.name, "stored": time.time()}), encoding="utf-8")
    shutil.rmtree(base / k, ignore_errors=True)
    try:
        os.replace(tmp, base / k)
    except OSError:  # another job stored the same key meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
    trim(base, settings.result_cache_mb * 1024 * 1024)


def trim(base: Path, limit_bytes: int) -> None:
    """Drop the least recently used entries until the cache fits."""
    entries = []
    for folder in base.iterdir():
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
        try:
            used = (folder / META).stat().st_mtime
        except OSError:
            used = 0.0
        entries.append((used, size, folder))
    total = sum(size for _, size, _ in entries)
    for _, size, folder in sorted(entries, key=lambda e: e[0]):
        if total <= limit_bytes:
            break
        shutil.rmtree(folder, ignore_errors=True)
        total -= size


def place(src: Path, dst: Path) -> Path:
    """A file into or out of the cache: always a copy. A hard link would share the file with a job folder,
    where a later sandboxed run of that job (a repair round) could rewrite it in place, and so change what
    every other job gets from the cache."""
    dst.unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst
