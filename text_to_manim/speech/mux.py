"""An audio track for a rendered video, the video stream copied (never re-encoded).

The track is built from the narration (each cue's WAV placed at its start), padded with silence or cut to
the video's length, and encoded as the container wants it: AAC in MP4/MOV, Opus in WebM.
"""
from __future__ import annotations

import os
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

RATE = 24000  # speech needs no more (Piper and espeak-ng speak at 22050 Hz); a rate both AAC and Opus take
TOLERANCE = 0.1  # seconds the audio may differ from the video
CODECS = {".mp4": "aac", ".mov": "aac", ".m4v": "aac", ".webm": "libopus", ".mkv": "libopus"}


@dataclass(frozen=True)
class Streams:
    video: float  # seconds
    audio: Optional[float]  # None: no audio stream



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


def _read_wav(path: Path) -> np.ndarray:
    """Mono float32 at RATE (resampled linearly)."""
    with wave.open(str(path), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(w.getnframes())
    if width != 2:
        raise ValueError(f"{path.name}: expected 16-bit PCM, got {8 * width}-bit")
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
        pcm = _read_wav(wav)
        a = max(0, int(round(start * RATE)))
        b = min(len(out), a + len(pcm))
        if b > a:
            out[a:b] += pcm[: b - a]
    return np.clip(out, -1.0, 1.0)


def add_audio(video: Path, audio: np.ndarray) -> None:
    """Replace `video`'s audio (if any) with `audio` (mono float32 at RATE); the video packets are copied."""
    import av

    video = Path(video)
    codec = CODECS.get(video.suffix.lower())
    if codec is None:
        raise ValueError(f"{video.name}: a {video.suffix} file cannot carry narration (use mp4 or webm)")
    tmp = video.with_name(f".{video.stem}.mux{video.suffix}")
    with av.open(str(video)) as src, av.open(str(tmp), "w") as dst:
        vin = src.streams.video[0]
        vout = dst.add_stream_from_template(template=vin)
        aout = dst.add_stream(codec, rate=RATE, layout="mono")
        assert isinstance(aout, av.AudioStream)  # an audio codec gives an audio stream
        for packet in src.demux(vin):
            if packet.dts is None:
                continue
            packet.stream = vout
            dst.mux(packet)
        size = aout.codec_context.frame_size or 1024
        pcm = audio.astype(np.float32)
        for i in range(0, len(pcm), size):
            frame = av.AudioFrame.from_ndarray(pcm[None, i:i + size], format="flt", layout="mono")
            frame.sample_rate, frame.pts = RATE, i
            dst.mux(aout.encode(frame))
        dst.mux(aout.encode(None))
    os.replace(tmp, video)


def matches(streams: Streams, tolerance: float = TOLERANCE) -> bool:
    return streams.audio is not None and abs(streams.audio - streams.video) <= tolerance
