"""Every gallery scene runs in the sandbox, keeps its layout clean, and ends on the stored control frame.

Control frames are the last frame at -ql (Manim's last-frame mode, as the validate stage makes them);
regenerate them with `pytest tests/test_gallery_render.py --update-control`, never by hand.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from text_to_manim import gallery, jobs
from text_to_manim.events import Finished
from text_to_manim.scene.validate import validate

CONTROL = Path(__file__).parent / "control"


@dataclass(frozen=True)
class Tolerance:
    """How far a frame may drift from its control and still count as the same picture."""

    name: str
    mean_abs: float  # mean absolute difference per channel, 0-255
    max_fraction: float  # share of pixels allowed to differ by more than 48

    def accepts(self, a: np.ndarray, b: np.ndarray) -> tuple[bool, str]:
        if a.shape != b.shape:
            return False, f"shape {a.shape} != control {b.shape}"
        diff = np.abs(a.astype(int) - b.astype(int))
        mean, frac = float(diff.mean()), float((diff.max(axis=2) > 48).mean())
        return mean <= self.mean_abs and frac <= self.max_fraction, f"mean {mean:.3f}, differing {frac:.4%}"


# Same machine type, same fonts and TeX: frames agree but for antialiasing noise.
ANTIALIAS = Tolerance("antialias", mean_abs=1.0, max_fraction=0.005)


@pytest.mark.slow
@pytest.mark.parametrize("entry", gallery.entries(), ids=lambda e: e.slug)
def test_gallery_scene_last_frame(entry, settings, update_control):
    job = jobs.new_job(settings.jobs_dir)
    outcome = next(ev.result for ev in validate(entry.code, job, scene=entry.scene, settings=settings)
                   if isinstance(ev, Finished))
    assert outcome.ok, [e.short() for e in outcome.errors] + [job.log_file.read_text()[-1500:]]
    assert outcome.animations > 0
    assert outcome.warnings == [], [w.short() for w in outcome.warnings]
    frame = np.asarray(Image.open(outcome.preview).convert("RGB"))
    control = CONTROL / f"{entry.slug}.png"
    if update_control or not control.exists():
        CONTROL.mkdir(exist_ok=True)
        Image.fromarray(frame).save(control)
        if not update_control:
            pytest.fail(f"no control frame for {entry.slug}: wrote {control}; check it by eye and commit it")
        return
    ok, how = ANTIALIAS.accepts(frame, np.asarray(Image.open(control).convert("RGB")))
    assert ok, f"{entry.slug} last frame differs from its control ({ANTIALIAS.name}): {how}"
