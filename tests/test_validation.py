"""Validation never plays animations (issue 8, family 1), its time budget grows with the scene, and the
preview it makes is shown first. Real scenes in the real sandbox; timing is never asserted (bench/)."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from text_to_manim import jobs
from text_to_manim.events import Artifact, Progress, StageFinished
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.sandbox import walls as sandbox

from .video import frames

COUNTING = '''
import json
from manim import *

class Counting(Scene):
    def construct(self):
        calls = {"updater": 0, "frames_drawn": 0}
        draw = self.renderer.camera.capture_mobjects

        def counting_draw(*args, **kwargs):
            calls["frames_drawn"] += 1
            return draw(*args, **kwargs)

        self.renderer.camera.capture_mobjects = counting_draw
        tracker = ValueTracker(0)
        dot = Dot()

        def follow(m):
            calls["updater"] += 1
            m.move_to(RIGHT * tracker.get_value())

        dot.add_updater(follow)
        self.add(dot)
        for i in range(1, 6):
            self.play(tracker.animate.set_value(i), run_time=2)
        self.wait(3)
        with open("calls.json", "w") as fh:
            json.dump(calls, fh)
'''


@pytest.mark.slow
def test_validation_plays_no_animation(job):
    job.write_code(COUNTING)
    res = sandbox.run(job.dir, ["validate", "scene.py", "--out", "media/validate"], sandbox.Limits(wall_seconds=120),
                      log_file=job.log_file)
    assert res.returncode == 0, job.log_file.read_text()[-2000:]
    calls = json.loads((job.dir / "calls.json").read_text())
    # 13 s of animation at 15 fps would be ~200 updater calls and frames; validation jumps to each end
    assert calls["frames_drawn"] == 0
    assert calls["updater"] <= 4 * 6, calls
    played = [m for m in res.messages if m.get("event") == "played"]
    assert [m["seconds"] for m in played] == [2.0] * 5 + [3.0]  # yet every duration is known


STEADY = '''
from manim import *
import time

class Steady(Scene):
    def construct(self):
        for i in range(12):
            time.sleep(0.5)  # some work before each animation
            self.play(FadeIn(Dot(RIGHT * i * 0.3)), run_time=0.2)
'''
STUCK = "from manim import *\n\nclass Stuck(Scene):\n    def construct(self):\n        while True:\n            pass\n"


@pytest.mark.slow
def test_validation_runs_as_long_as_it_progresses_and_stops_when_it_stalls(settings):
    limits = sandbox.Limits(wall_seconds=120, stall_seconds=3)
    steady, stuck = jobs.new_job(settings.jobs_dir), jobs.new_job(settings.jobs_dir)
    steady.write_code(STEADY)
    stuck.write_code(STUCK)
    args = ["validate", "scene.py", "--out", "media/validate"]
    ok = sandbox.run(steady.dir, args, limits, log_file=steady.log_file)
    assert ok.returncode == 0 and not ok.timed_out and ok.seconds > limits.stall_seconds  # > 3 s in all
    stopped = sandbox.run(stuck.dir, args, limits, log_file=stuck.log_file)
    assert stopped.timed_out and stopped.seconds < 60
    err = sandbox.errors_of(stopped, "validate", limits, stuck.log_file)[0]
    assert err.kind == "Timeout" and "no progress for 3 s" in err.message


SCENE = ("from manim import *\n\nclass Shapes(Scene):\n    def construct(self):\n"
         "        sq, c = Square(color=BLUE).shift(LEFT * 2), Circle(color=RED).shift(RIGHT * 2)\n"
         "        self.play(Create(sq), Create(c))\n        self.play(sq.animate.rotate(PI / 5).scale(1.3))\n"
         "        t = Text('last frame', font_size=36).to_edge(DOWN)\n        self.play(Write(t))\n")


@pytest.mark.slow
def test_the_preview_comes_first_and_is_the_videos_last_frame(settings):
    events = list(pipeline.run(pipeline.Request(code=SCENE, settings=settings, sanitize=False)))
    result = events[-1].result
    assert result.ok, result.errors
    at = {id(e): i for i, e in enumerate(events)}
    preview = next(e for e in events if isinstance(e, Artifact) and e.kind == "preview")
    validated = next(e for e in events if isinstance(e, StageFinished) and e.stage == "validate")
    rendering = next(e for e in events if isinstance(e, Progress) and e.stage == "render")
    assert at[id(preview)] < at[id(validated)] < at[id(rendering)]
    png = np.asarray(Image.open(preview.path).convert("RGB")).astype(int)
    last = frames(result.video)[-1].astype(int)
    assert png.shape == last.shape and np.abs(png - last).mean() < 3  # the same picture, up to encoding
