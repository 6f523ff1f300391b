"""Issue 12.4: a scene whose construct only adds mobjects gets a still PNG (as plain `manim` writes one), not
an error: at the requested quality, in the JobResult, in the CLI's --json and in the app's view."""
from __future__ import annotations

import json
from pathlib import Path

import av
import pytest

from text_to_manim.events import RENDER, Artifact, Finished, StageStarted
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.web.chat import ChatView

from .conftest import run_cli

STILL = """from manim import *


class Poster(Scene):
    def construct(self):
        self.add(Circle(radius=2, color=RED), Text("never animates").to_edge(DOWN))
"""


def _size(png: Path) -> tuple[int, int]:
    with av.open(str(png)) as c:
        frame = next(c.decode(video=0))
        return frame.width, frame.height


@pytest.mark.slow
def test_still_scene_gives_a_png_at_the_requested_quality(settings):
    events = list(pipeline.run(pipeline.Request(code=STILL, settings=settings.with_(quality="m"), sanitize=False)))
    result = events[-1].result
    assert isinstance(events[-1], Finished) and result.ok, [e.short() for e in result.errors]
    assert result.video is None and result.image and result.image.suffix == ".png"
    assert _size(result.image) == (1280, 720)  # -qm, not the low-quality preview
    assert Artifact("image", result.image) in events
    assert any(isinstance(e, StageStarted) and e.stage == RENDER and "never animates" in e.detail for e in events)
    assert result.as_json()["image"] == str(result.image)

    view = ChatView().start("a poster")  # the app's view of the same events
    for ev in events:
        view.apply(ev)
    assert view.status == "ok" and view.preview == str(result.image) and view.video is None
    assert str(result.image) in view.downloads()
    assert "still image" in view.messages[-1]["content"]


@pytest.mark.slow
def test_cli_json_shows_the_image(tmp_path):
    scene = tmp_path / "poster.py"
    scene.write_text(STILL)
    out = run_cli("render", str(scene), "--out", str(tmp_path / "job"), "--json")
    assert out.returncode == 0, out.stderr[-2000:]
    data = json.loads(out.stdout.strip().splitlines()[-1])
    assert data["ok"] and data["video"] is None and Path(data["image"]).is_file()
    assert _size(Path(data["image"])) == (854, 480)  # the default -ql
