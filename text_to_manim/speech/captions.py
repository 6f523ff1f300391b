"""Captions from the narration's real timings: WebVTT (the browser's player) and SRT (video editors)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from text_to_manim import nofollow

MAX_CUE_CHARS = 2000  # a runner's cue text is untrusted: bounded


@dataclass(frozen=True)
class Cue:
    start: float  # seconds into the video
    end: float
    text: str
    estimated: bool = False  # a run-time text: no audio, its duration estimated from its length


def _stamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _clean(text: str) -> str:
    """One caption's text: one line of words, no blank line (which would end the cue), no '-->'."""
    return " ".join(str(text)[:MAX_CUE_CHARS].split()).replace("-->", "->")


def to_vtt(cues: list[Cue]) -> str:
    out = ["WEBVTT", ""]
    for i, c in enumerate(cues, 1):
        text = _clean(c.text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out += [str(i), f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}", text, ""]
    return "\n".join(out)


def to_srt(cues: list[Cue]) -> str:
    out = []
    for i, c in enumerate(cues, 1):
        out += [str(i), f"{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}", _clean(c.text), ""]
    return "\n".join(out)


def write(video: Path, cues: list[Cue]) -> tuple[Path, Path]:
    """captions.vtt and captions.srt next to the video (in the job folder a run could plant links in)."""
    vtt, srt = Path(video).with_name("captions.vtt"), Path(video).with_name("captions.srt")
    return nofollow.write_text(vtt, to_vtt(cues)), nofollow.write_text(srt, to_srt(cues))


SRT_TIMES = re.compile(r"(\d+):(\d{2}):(\d{2}),(\d{3})\s*-->\s*(\d+):(\d{2}):(\d{2}),(\d{3})")


def from_srt(text: str) -> list[Cue]:
    """The cues of an SRT file as `to_srt` writes it (the transcript in the notes reads them back)."""
    cues = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = block.strip().split("\n")
        m = SRT_TIMES.search(lines[1]) if len(lines) >= 3 else None
        if m:
            n = [int(x) for x in m.groups()]
            start = n[0] * 3600 + n[1] * 60 + n[2] + n[3] / 1000
            end = n[4] * 3600 + n[5] * 60 + n[6] + n[7] / 1000
            cues.append(Cue(start, end, " ".join(lines[2:])))
    return cues


def clock(seconds: float) -> str:
    """0:07.3: a cue's time as the transcript shows it."""
    m, s = divmod(max(0.0, seconds), 60)
    return f"{int(m)}:{s:04.1f}"


def shifted(cues: list[Cue], start: float, end: float) -> list[Cue]:
    """A clip's cues placed in a longer video where the clip plays from `start` to `end` (a lesson's
    chapter): moved by `start`, cut at `end`; a cue that would begin after the clip ends is left out."""
    out = []
    for c in cues:
        a, b = start + max(0.0, c.start), min(end, start + c.end)
        if a < end and b > a:
            out.append(Cue(round(a, 3), round(b, 3), c.text, c.estimated))
    return out
