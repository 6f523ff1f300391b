"""What a person checks in a video, read with PyAV: length, size, and what the frames show."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np


@dataclass
class VideoFacts:
    frames: int
    duration: float
    width: int
    height: int
    fps: float
    last_frame: np.ndarray  # H x W x 3 uint8

    def nonblank(self) -> bool:
        """More than a flat background: some pixels differ clearly from the dominant colour."""
        f = self.last_frame.astype(int)
        background = np.median(f.reshape(-1, 3), axis=0)
        return float((np.abs(f - background).sum(axis=2) > 60).mean()) > 0.002


def probe(path: Path | str) -> VideoFacts:
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        frames, last = 0, None
        for frame in c.decode(s):
            frames += 1
            last = frame
        duration = float(c.duration / av.time_base) if c.duration else frames / float(s.average_rate or 1)
        return VideoFacts(frames=frames, duration=duration, width=s.codec_context.width,
                          height=s.codec_context.height, fps=float(s.average_rate or 0),
                          last_frame=last.to_ndarray(format="rgb24"))


def frames(path: Path | str) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(c.streams.video[0])]
