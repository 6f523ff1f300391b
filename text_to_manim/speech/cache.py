"""The audio cache: each text spoken once per voice, speed and engine version, shared by every job.

Content-addressed: the key is a hash of (text, voice, speed, voice.version), so an entry can only hold
what that voice says for that text. Only the trusted speech step writes here (atomic renames); scene
sandboxes never see this folder: a job gets copies of its entries (see prepare in __init__).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from text_to_manim.speech.engines import Speech, Voice, wav_seconds


@dataclass(frozen=True)
class Entry:
    speech: Speech
    hit: bool  # True: taken from the cache, no synthesis


def key(text: str, voice: Voice, speed: float) -> str:
    blob = json.dumps({"text": text, "voice": voice.name, "speed": round(speed, 3), "version": voice.version},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def lookup(root: Path, text: str, voice: Voice, speed: float) -> Speech | None:
    path = Path(root) / f"{key(text, voice, speed)}.wav"
    try:
        if not path.is_file():
            return None
        os.utime(path)  # used now: `trim` drops the least recently used first
        return Speech(path, wav_seconds(path))
    except (OSError, EOFError, ValueError):  # a damaged entry is made again
        return None


def trim(root: Path, limit_bytes: int) -> int:
    """Drop the least recently used entries until the cache fits in `limit_bytes`: how many went. A job's
    speech is bounded (narration.MAX_SPEECH_CHARS), the cache of every job's speech by this."""
    entries = []
    for p in Path(root).glob("*.wav"):
        try:
            st = p.stat()
        except OSError:
            continue
        entries.append((st.st_mtime, st.st_size, p))
    total, dropped = sum(size for _, size, _ in entries), 0
    for _, size, p in sorted(entries, key=lambda e: e[0]):
        if total <= limit_bytes:
            break
        p.unlink(missing_ok=True)
        total, dropped = total - size, dropped + 1
    return dropped


def get(root: Path, text: str, voice: Voice, speed: float) -> Entry:
    """The cached speech for `text`, synthesised now when missing."""
    found = lookup(root, text, voice, speed)
    if found is not None:
        return Entry(found, True)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"{key(text, voice, speed)}.wav"
    fd, tmp = tempfile.mkstemp(suffix=".wav", dir=root, prefix=".")
    os.close(fd)
    try:
        voice.synthesize(text, Path(tmp), speed)
        os.replace(tmp, final)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return Entry(Speech(final, wav_seconds(final)), False)
