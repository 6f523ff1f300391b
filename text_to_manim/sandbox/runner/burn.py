"""Captions burned into the picture (`--burn-captions`), inside the sandbox: the video is the scene's output,
so only a sandboxed run decodes it. Part of the `mux` mode (mux.py): the plan's `captions`
[{"start", "end", "text"}] are drawn on the frames of their time, white on a dark band near the bottom,
and the video is re-encoded (the same codec family, near-lossless settings); the audio is added after.
Standard library, av, numpy and Pillow (Manim's own dependencies) only.
"""
from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

ENCODERS = {".mp4": "libx264", ".mov": "libx264", ".m4v": "libx264", ".webm": "libvpx-vp9", ".mkv": "libx264"}
OPTIONS = {"libx264": {"crf": "18", "preset": "veryfast"}, "libvpx-vp9": {"crf": "24", "b": "0", "deadline": "realtime",
                                                                          "cpu-used": "8"}}
FONT_SHARE = 0.045  # of the frame's height: 22 px at 480p
BAND_OPACITY = 170  # 0..255
MAX_LINES = 3


@dataclass(frozen=True)
class Caption:
    start: float
    end: float
    text: str


def captions_of(plan: dict) -> list[Caption]:
    out = []
    for c in plan.get("captions") or []:
        try:
            out.append(Caption(float(c["start"]), float(c["end"]), str(c["text"])))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def at(captions: list[Caption], t: float) -> str:
    return next((c.text for c in captions if c.start <= t < c.end), "")


def draw(image, text: str):
    """The caption on a PIL image (RGB): wrapped to the frame's width, centred near the bottom."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = image.size
    size = max(10, int(h * FONT_SHARE))
    font = ImageFont.load_default(size=size)
    per_line = max(10, int(w * 0.9 / (size * 0.55)))
    lines = textwrap.wrap(text, per_line)[:MAX_LINES]
    line_h = int(size * 1.3)
    band_h = line_h * len(lines) + size // 2
    top = h - band_h - int(h * 0.04)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(overlay)
    widths = [pen.textlength(line, font=font) for line in lines]
    left = int((w - max(widths)) / 2) - size // 2
    pen.rectangle([left, top, w - left, top + band_h], fill=(0, 0, 0, BAND_OPACITY))
    for i, (line, lw) in enumerate(zip(lines, widths)):
        pen.text(((w - lw) / 2, top + size // 4 + i * line_h), line, font=font, fill=(255, 255, 255, 255))
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def burn(video: Path, captions: list[Caption], output: Path) -> Path:
    """`video` with `captions` drawn in, re-encoded to `output` (video only: the narration is muxed after)."""
    import av

    video, output = Path(video), Path(output)
    if output.suffix.lower() == ".gif":
        return _burn_gif(video, captions, output)
    encoder = ENCODERS.get(output.suffix.lower(), "libx264")
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.burn{output.suffix}")
    with av.open(str(video)) as src, av.open(str(tmp), "w") as dst:
        vin = src.streams.video[0]
        rate = vin.average_rate or vin.guessed_rate or 30
        vout = dst.add_stream(encoder, rate=rate, options=OPTIONS.get(encoder, {}))
        assert isinstance(vout, av.VideoStream)  # a video codec gives a video stream
        vout.width, vout.height, vout.pix_fmt = vin.codec_context.width, vin.codec_context.height, "yuv420p"
        for i, frame in enumerate(src.decode(vin)):
            t = float(frame.pts * frame.time_base) if frame.pts is not None and frame.time_base else i / float(rate)
            text = at(captions, t)
            out = av.VideoFrame.from_image(draw(frame.to_image(), text)) if text else frame.reformat(format="yuv420p")
            out.pts, out.time_base = i, Fraction(1, 1) / rate  # frames renumbered at the stream's rate
            for packet in vout.encode(out):
                dst.mux(packet)
        for packet in vout.encode(None):
            dst.mux(packet)
    os.replace(tmp, output)
    return output


def _burn_gif(video: Path, captions: list[Caption], output: Path) -> Path:
    """A GIF has no sound and no subtitle track: burned in is the only way its captions are seen. Its own
    palette is made for the new frames (palettegen/paletteuse, as Manim makes its GIFs)."""
    import av

    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.burn.gif")
    with av.open(str(video)) as src, av.open(str(tmp), "w") as dst:
        vin = src.streams.video[0]
        rate = vin.average_rate or vin.guessed_rate or 15
        vout = dst.add_stream("gif", rate=rate)
        assert isinstance(vout, av.VideoStream)  # a video codec gives a video stream
        vout.width, vout.height, vout.pix_fmt = vin.codec_context.width, vin.codec_context.height, "rgb8"
        graph = av.filter.Graph()
        buffer = graph.add_buffer(width=vout.width, height=vout.height, format=av.VideoFormat("rgb24"),
                                  time_base=Fraction(1, 1) / rate)
        split, gen = graph.add("split"), graph.add("palettegen", "stats_mode=diff")
        use, sink = graph.add("paletteuse", "dither=bayer:bayer_scale=5:diff_mode=rectangle"), graph.add("buffersink")
        buffer.link_to(split)
        split.link_to(gen, 0, 0)
        split.link_to(use, 1, 0)
        gen.link_to(use, 0, 1)
        use.link_to(sink)
        graph.configure()
        for i, frame in enumerate(src.decode(vin)):
            t = float(frame.pts * frame.time_base) if frame.pts is not None and frame.time_base else i / float(rate)
            text = at(captions, t)
            out = av.VideoFrame.from_image(draw(frame.to_image(), text)) if text else frame.reformat(format="rgb24")
            out.pts, out.time_base = i, Fraction(1, 1) / rate
            graph.push(out)
        graph.push(None)
        written = 0
        while True:
            try:
                pulled = graph.pull()
            except (av.error.EOFError, av.error.BlockingIOError):
                break
            assert isinstance(pulled, av.VideoFrame)  # a video graph gives video frames
            pulled.pts, written = written, written + 1
            dst.mux(vout.encode(pulled))
        dst.mux(vout.encode(None))
    os.replace(tmp, output)
    return output
