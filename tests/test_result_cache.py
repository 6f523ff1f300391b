"""The result cache: the same code at the same quality and format gives back the earlier video at once,
in every front end (it sits in the pipeline), bounded in size, cleared by `make clean-media`."""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from text_to_manim.events import Artifact, StageStarted
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.pipeline import result_cache

from .conftest import ROOT, run_cli
from .video import probe

CODE = ("from manim import *\n\nclass Still(Scene):\n    def construct(self):\n        self.add(Circle())\n\n"
        "class Dot3(Scene):\n    def construct(self):\n"
        "        self.play(FadeIn(Dot(color=YELLOW).scale(3)), run_time=1)\n")


def run_job(code, settings, **kw):
    events = list(pipeline.run(pipeline.Request(code=code, settings=settings, **kw)))
    return events, events[-1].result


@pytest.mark.slow
def test_the_same_code_again_returns_the_earlier_video_at_once(settings):
    _, first = run_job(CODE, settings)
    events, again = run_job(CODE, settings)
    assert first.ok and again.ok
    assert again.cached_from == first.job_id
    assert again.video != first.video and again.video.parent == again.job_dir  # its own job folder has it
    assert again.video.read_bytes() == first.video.read_bytes() and probe(again.video).frames == 15
    assert again.preview.is_file() and again.scene == "Dot3" and again.animations == 1
    assert again.note == first.note  # what the first run said (which scene it chose)
    stages = [e.stage for e in events if isinstance(e, StageStarted)]
    assert "validate" not in stages  # nothing ran in a sandbox
    assert [e.kind for e in events if isinstance(e, Artifact)][-2:] == ["preview", "video"]


@pytest.mark.slow
def test_other_settings_or_other_code_render_afresh(settings):
    _, first = run_job(CODE, settings)
    _, gif = run_job(CODE, settings.with_(format="gif"))
    _, changed = run_job(CODE.replace("scale(3)", "scale(2)"), settings)
    assert first.ok and gif.ok and changed.ok
    assert gif.cached_from is None and gif.video.suffix == ".gif"
    assert changed.cached_from is None


def test_the_cache_is_bounded_least_recently_used_first_out(settings, tmp_path):
    s = settings.with_(result_cache_mb=1)
    videos = []
    for i in range(3):
        v = tmp_path / f"v{i}.mp4"
        v.write_bytes(os.urandom(400 * 1024))
        videos.append(v)
    result_cache.store(s, "a", videos[0], None, {"scene": "A"})
    time.sleep(0.05)
    result_cache.store(s, "b", videos[1], None, {"scene": "B"})
    time.sleep(0.05)
    assert result_cache.lookup(s, "a") is not None  # used again: now the most recent
    time.sleep(0.05)
    result_cache.store(s, "c", videos[2], None, {"scene": "C"})  # 1.2 MB > 1 MB: one entry must go
    assert result_cache.lookup(s, "b") is None
    assert result_cache.lookup(s, "a").video.read_bytes() == videos[0].read_bytes()
    assert result_cache.lookup(s, "c").meta["scene"] == "C"
    assert result_cache.lookup(settings.with_(result_cache_mb=0), "c") is None  # 0 turns it off


def test_a_job_folder_never_shares_a_file_with_the_cache(settings, tmp_path):
    """A later sandboxed run in a job folder may write to that folder's files: none of them may be the
    cache's own, or the run would change what every other job gets."""
    video = tmp_path / "job" / "Dot3.mp4"
    video.parent.mkdir()
    video.write_bytes(b"first render")
    result_cache.store(settings, "k", video, None, {"scene": "Dot3"})
    video.write_bytes(b"rewritten by a later run")  # in place, as a scene writing to the file would
    hit = result_cache.lookup(settings, "k")
    assert hit.video.read_bytes() == b"first render"
    placed = result_cache.place(hit.video, tmp_path / "job2.mp4")
    with open(placed, "r+b") as fh:
        fh.write(b"poisoned")
    assert result_cache.lookup(settings, "k").video.read_bytes() == b"first render"


def test_make_clean_media_clears_the_caches(tmp_path):
    media = tmp_path / "media"
    for d in ("jobs/x", "cache/results/k", "cache/tex/v", "slots/1-a"):
        (media / d).mkdir(parents=True)
        (media / d / "f").write_text("x")
    proc = subprocess.run(["make", "-s", "clean-media", f"MEDIA={media}"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert not any((media / d).exists() for d in ("jobs", "cache", "slots"))


@pytest.mark.slow
def test_the_cli_returns_the_earlier_video_for_the_same_file(tmp_path):
    scene = tmp_path / "dot.py"
    scene.write_text(CODE)
    env = {"T2M_MEDIA_DIR": str(tmp_path / "media"), "T2M_RESULT_CACHE_MB": "100"}
    first = run_cli("render", str(scene), "--json", env=env)
    again = run_cli("render", str(scene), "--json", env=env)
    a, b = (json.loads(p.stdout.strip().splitlines()[-1]) for p in (first, again))
    assert a["ok"] and b["ok"], (first.stderr[-1500:], again.stderr[-1500:])
    assert b["cached_from"] == Path(a["job_dir"]).name and b["job_dir"] != a["job_dir"]
    assert Path(b["video"]).read_bytes() == Path(a["video"]).read_bytes()
    assert "from the result cache" in again.stderr
