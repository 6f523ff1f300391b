"""Real sandboxed renders, checked the way a person would: open the video and look."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from text_to_manim.events import Finished, Progress
from text_to_manim.pipeline.conductor import Request, run
from text_to_manim.scene.render import plan_chunks

from .conftest import ROOT, run_cli
from .video import frames, probe

BASIC = ROOT / "tests" / "data" / "scene_basic.py"

LONG = '''
from manim import *

class Steps(Scene):
    def construct(self):
        sq = Square(color=BLUE)
        self.play(Create(sq))
        for i in range(6):
            self.play(sq.animate.shift(RIGHT * (0.6 if i % 2 == 0 else -0.6)).rotate(PI / 7))
        self.play(FadeOut(sq))
'''


def render_job(code, job, settings, fmt=None):
    """Render code as written through the pipeline (as `render FILE.py` does)."""
    return run(Request(code=code, settings=settings.with_(format=fmt), sanitize=False, job_dir=job.dir))


def collect(events):
    out, result = [], None
    for ev in events:
        if isinstance(ev, Finished):
            result = ev.result
        else:
            out.append(ev)
    return out, result


@pytest.mark.slow
def test_cli_renders_basic_scene_at_ql():
    proc = run_cli("render", str(BASIC), "-q", "l", "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["ok"] and result["errors"] == []
    facts = probe(result["video"])
    assert (facts.width, facts.height) == (854, 480)
    assert facts.fps == 15
    # 1 s + 1 s + 0.5 s of animation at 15 fps
    assert facts.frames == pytest.approx(38, abs=1)
    assert facts.duration == pytest.approx(2.5, abs=0.15)
    assert facts.nonblank()
    assert Path(result["preview"]).is_file() and Path(result["code"]).read_text() == BASIC.read_text()
    assert "validate" in result["timings"] and "render" in result["timings"]


def test_chunk_plan_balances_video_time():
    assert plan_chunks([1.0] * 10, 2) == [(0, 4), (5, 9)]
    assert plan_chunks([0.5, 0.5], 4) == [(0, 1)]  # too short to be worth a second process
    assert plan_chunks([5, 1, 1, 1, 1, 1], 2) == [(0, 0), (1, 5)]
    chunks = plan_chunks([1.0] * 9, 3)
    assert [c[0] for c in chunks] == [0, 3, 6] and chunks[-1][1] == 8


@pytest.mark.slow
def test_parallel_chunks_give_the_same_frames_as_one_process(settings, tmp_path):
    from text_to_manim import jobs

    videos = {}
    for n in (1, 2):  # the result cache would hand the second run the first one's video
        job = jobs.new_job(settings.jobs_dir)
        events, result = collect(render_job(LONG, job, settings=settings.with_(render_jobs=n, result_cache_mb=0)))
        assert result.ok, result.errors
        assert len(result.chunks) == n
        videos[n] = result.video
        progress = [e for e in events if isinstance(e, Progress) and e.stage == "render"]
        assert progress[-1].done == progress[-1].total == 8
    one, two = frames(videos[1]), frames(videos[2])
    assert len(one) == len(two) == 8 * 15
    assert max(np.abs(a.astype(int) - b.astype(int)).max() for a, b in zip(one, two)) == 0


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["gif", "webm"])
def test_other_formats(settings, job, fmt):
    _, result = collect(render_job(BASIC.read_text(), job, settings=settings, fmt=fmt))
    assert result.ok, result.errors
    assert result.video.suffix == f".{fmt}"
    facts = probe(result.video)
    assert facts.frames > 20 and facts.nonblank()


@pytest.mark.slow
def test_runtime_error_points_at_the_users_line(settings, job):
    code = "from manim import *\n\nclass Bad(Scene):\n    def construct(self):\n        c = Circle()\n        self.play(Create(c))\n        self.play(c.animate.shfit(RIGHT))\n"
    events, result = collect(render_job(code, job, settings=settings))
    assert not result.ok
    err = result.errors[0]
    assert err.stage == "validate" and err.line == 7 and "shfit" in err.message
    assert err.source_line == "self.play(c.animate.shfit(RIGHT))"
    assert job.scene_file.read_text() == code and job.log_file.read_text().strip()


@pytest.mark.slow
def test_latex_error_names_the_formula_and_tex_error(settings, job):
    code = 'from manim import *\n\nclass T(Scene):\n    def construct(self):\n        self.play(Write(MathTex(r\"\\frac{1}{2} \\notacommand x\")))\n'
    _, result = collect(render_job(code, job, settings=settings))
    assert not result.ok
    err = result.errors[0]
    assert err.stage == "latex" and err.line == 5
    assert "\\notacommand" in err.message and "Undefined control sequence" in err.message
    assert len(err.message) < 600  # the formula and TeX's error line, not a page of log


@pytest.mark.slow
def test_layout_check_reports_text_off_frame_and_overlaps(settings, job):
    code = ("from manim import *\n\nclass L(Scene):\n    def construct(self):\n"
            "        a = Text('Hello there').shift(RIGHT * 6.5)\n"
            "        b = Text('Overlap one')\n"
            "        c = Text('Overlap two').shift(UP * 0.1)\n"
            "        self.add(a, b, c)\n        self.wait(0.2)\n")
    _, result = collect(render_job(code, job, settings=settings))
    kinds = {(w.kind, w.line) for w in result.warnings if w.stage == "layout"}
    assert ("off-frame", 5) in kinds
    assert ("overlap", 7) in kinds
    assert result.ok  # layout problems are warnings: the video is still made


@pytest.mark.slow
def test_every_speedup_leaves_the_frames_exactly_as_plain_manim_draws_them(settings, job, tmp_path):
    """Warm worker, render started during validation, formulas from the trusted step's batch, one made
    at run time compiled with the preamble format, shared glyph outlines: the video is plain
    `manim -ql`'s, frame for frame (the test's own scene, trusted)."""
    derivative = "MathTex(\"f'(x) = \" + str(2) + \"x\")"  # made at run time: compiled in the job
    code = BASIC.read_text().replace("self.wait(0.5)", f"self.play(Transform(formula, {derivative}.to_edge(UP)))")
    scene_file = tmp_path / "basic.py"
    scene_file.write_text(code)
    _, result = collect(render_job(code, job, settings=settings))
    assert result.ok and result.warm, result.errors
    assert result.tex.shared >= 1 and result.tex.compiled == 1
    from text_to_manim.tex import formula_cache

    assert list((formula_cache.shared_dir(settings) / "fmt").glob("*.fmt"))  # the format it compiled with
    manim = str(Path(sys.executable).with_name("manim"))
    subprocess.run([manim, "render", "-ql", "--disable_caching", "--media_dir", str(tmp_path / "plain"), "-o", "p",
                    str(scene_file), "Basic"], check=True, capture_output=True,
                   env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    plain = frames(next((tmp_path / "plain").rglob("p.mp4")))
    ours = frames(result.video)
    assert len(ours) == len(plain) and max(np.abs(a.astype(int) - b.astype(int)).max() for a, b in zip(ours, plain)) == 0


RACY = ROOT / "tests" / "data" / "racy_scratch_file.py"


@pytest.mark.slow
def test_a_scene_that_trips_over_its_own_parallel_runs_is_rendered_again_alone(tmp_path):
    """Runs of one scene at once (the early render beside validation, parallel chunks) share the job folder:
    a scene that holds a scratch file there failed the render (FileExistsError) though it runs through alone.
    The render is tried once more in one process, and the job is ok."""
    proc = run_cli("render", str(RACY), "--json", "-q", "l", "--out", str(tmp_path), env={"T2M_RENDER_JOBS": "2"})
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["ok"] and result["errors"] == [], result["errors"]
    assert probe(result["video"]).duration == pytest.approx(8.0, abs=0.15)
    log = (Path(result["job_dir"]) / "render.log").read_text()
    assert "rendering it again in one process, alone" in log and "File exists: 'scratch.lock'" in log
