"""Warm workers: real sandboxed processes with Manim imported, one per job.

Behaviour only (speed is measured in bench/): jobs that share the pool cannot see each other, each job
gets a fresh worker, the pool refills after a crash, limits and cancel still hold, and without a free
worker a job runs cold. Scenes that misbehave go straight to the worker, bypassing the policy (as in
test_sandbox.py), as if a policy bug had let them through.
"""
from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from text_to_manim import jobs
from text_to_manim.events import Finished, Progress
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.sandbox import workers

from .video import probe

pytestmark = [pytest.mark.skipif(sandbox.bwrap_path() is None, reason="bubblewrap cannot create namespaces here"),
              pytest.mark.slow]

WRITER = '''
from manim import *
import manim, os

class Writer(Scene):
    def construct(self):
        with open("secret.txt", "w") as fh:
            fh.write("job A's secret")
        with open("/tmp/secret.txt", "w") as fh:
            fh.write("job A's secret")
        manim.T2M_LEFT_BEHIND = "job A was here"
        self.wait(0.1)
'''

SNOOPER = '''
import json, os, glob
from manim import *
import manim

def attempt(fn):
    try:
        return "ok: " + str(fn())[:200]
    except BaseException as exc:
        return "blocked: " + type(exc).__name__

class Snooper(Scene):
    def construct(self):
        found = {{
            "cwd_secret": attempt(lambda: open("secret.txt").read()),
            "tmp_secret": attempt(lambda: open("/tmp/secret.txt").read()),
            "other_slot": attempt(lambda: open({other_slot!r}).read()),
            "other_job": attempt(lambda: open({other_job!r}).read()),
            "slots_dir": attempt(lambda: os.listdir({slots!r})),
            "module_state": getattr(manim, "T2M_LEFT_BEHIND", "clean"),
            "cwd": os.getcwd(),
            "processes": sorted(p for p in os.listdir("/proc") if p.isdigit()),
        }}
        with open("found.json", "w") as fh:
            json.dump(found, fh)
        self.wait(0.1)
'''


@pytest.fixture
def pool_settings(settings):
    """Settings whose pool holds two workers (each test gets its own pool: its own media folder)."""
    s = settings.with_(render_concurrency=2)
    yield s
    pool = workers.pool_for(s)
    if pool is not None:
        pool.close()


def run_in(worker, job, code, name="scene.py"):
    """Copy the code into the worker's slot and validate it there, bypassing the policy."""
    (job.dir / name).write_text(code)
    worker.sync_in([job.dir / name])
    out = None
    for _, msg in worker.stream([["validate", name, "--out", "media/validate"]], sandbox.Limits(wall_seconds=120),
                                [job.log_file]):
        if isinstance(msg, sandbox.RunResult):
            out = msg
    return out


def test_jobs_sharing_the_pool_cannot_see_each_other(pool_settings):
    pool = workers.pool_for(pool_settings)
    job_a, job_b = jobs.new_job(pool_settings.jobs_dir), jobs.new_job(pool_settings.jobs_dir)
    (job_a.dir / "secret.txt").write_text("job A's secret")
    with workers.lease(pool_settings) as a:
        slot_a = a.slot
        assert run_in(a, job_a, WRITER).returncode == 0, job_a.log_file.read_text()[-2000:]
        assert (slot_a / "secret.txt").read_text() == "job A's secret"
        with workers.lease(pool_settings) as b:
            assert b is not a and b.slot != slot_a
            code = SNOOPER.format(other_slot=str(slot_a / "secret.txt"), other_job=str(job_a.dir / "secret.txt"),
                                  slots=str(pool.slot_root))
            res = run_in(b, job_b, code)
            assert res.returncode == 0, job_b.log_file.read_text()[-2000:]
            found = json.loads((b.slot / "found.json").read_text())
    assert not slot_a.exists()  # a job's worker and slot are destroyed when the job ends
    assert found["cwd"] == sandbox.SLOT_IN_SANDBOX  # host paths never show inside
    for key in ("cwd_secret", "tmp_secret", "other_slot", "other_job", "slots_dir"):
        assert found[key].startswith("blocked"), (key, found[key])
    assert found["module_state"] == "clean"  # the worker never ran another job's code
    assert len(found["processes"]) <= 4  # its own sandbox: bwrap, the worker, this run (no other job)


def test_each_job_gets_a_fresh_worker_after_its_runs(pool_settings):
    seen = []
    for _ in range(3):
        with workers.lease(pool_settings) as w:
            assert w is not None and w.alive()
            seen.append((w.proc.pid, w.slot))
    assert len({pid for pid, _ in seen}) == 3 and not any(slot.exists() for _, slot in seen)


def _ready_pids(pool) -> set:
    with pool.cond:
        return {w.proc.pid for w in pool.idle}


def _wait_for(predicate, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_crashed_waiting_worker_is_replaced(pool_settings):
    pool = workers.pool_for(pool_settings)
    assert _wait_for(lambda: len(_ready_pids(pool)) == 2), "the pool never filled"
    victim = next(iter(_ready_pids(pool)))
    os.killpg(victim, signal.SIGKILL)  # as the OOM killer or a stray kill would
    assert _wait_for(lambda: len(_ready_pids(pool)) == 2 and victim not in _ready_pids(pool)), \
        "the dead worker was not replaced"
    with workers.lease(pool_settings) as w:  # and the replacement works
        job = jobs.new_job(pool_settings.jobs_dir)
        assert run_in(w, job, "from manim import *\n\nclass A(Scene):\n    def construct(self):\n"
                              "        self.play(Create(Circle()))\n").returncode == 0


def test_a_worker_killed_during_a_job_fails_that_job_clearly_and_is_replaced(pool_settings):
    pool = workers.pool_for(pool_settings)
    code = "from manim import *\nimport time\n\nclass Slow(Scene):\n    def construct(self):\n        time.sleep(60)\n"
    job = jobs.new_job(pool_settings.jobs_dir)
    with workers.lease(pool_settings) as w:
        threading.Timer(3.0, w.kill).start()
        res = run_in(w, job, code)
        errors = sandbox.errors_of(res, "validate", sandbox.Limits(wall_seconds=120), job.log_file)
        assert errors and errors[0].kind == "Crashed"
    assert _wait_for(lambda: len(_ready_pids(pool)) == 2)


def test_limits_hold_in_a_warm_run(pool_settings):
    job = jobs.new_job(pool_settings.jobs_dir)
    busy = "from manim import *\n\nclass Busy(Scene):\n    def construct(self):\n        while True:\n            pass\n"
    bomb = ("from manim import *\nimport numpy as np\n\nclass Bomb(Scene):\n    def construct(self):\n"
            "        blocks = []\n        while True:\n            blocks.append(np.ones(50_000_000))\n")
    with workers.lease(pool_settings) as w:
        (job.dir / "busy.py").write_text(busy)
        (job.dir / "bomb.py").write_text(bomb)
        w.sync_in([job.dir / "busy.py", job.dir / "bomb.py"])
        cpu = sandbox.Limits(wall_seconds=60, cpu_seconds=3)
        mem = sandbox.Limits(wall_seconds=60, memory_bytes=1024 * sandbox.MIB)
        wall = sandbox.Limits(wall_seconds=4)
        results = {}
        for label, args, limits in (("cpu", "busy.py", cpu), ("memory", "bomb.py", mem), ("wall", "busy.py", wall)):
            for _, msg in w.stream([["validate", args, "--out", f"media/{label}"]], limits, [job.log_file]):
                if isinstance(msg, sandbox.RunResult):
                    results[label] = (msg, sandbox.errors_of(msg, "validate", limits, job.log_file))
    assert results["cpu"][0].killed_by == "SIGXCPU" and results["cpu"][1][0].kind == "CPULimit"
    assert "memory" in results["memory"][1][0].message.lower() and results["memory"][1][0].line == 8
    assert results["wall"][0].timed_out and results["wall"][1][0].kind == "Timeout"


def test_cancel_kills_a_warm_job(pool_settings):
    code = "from manim import *\n\nclass Slow(Scene):\n    def construct(self):\n        while True:\n            pass\n"
    req = pipeline.Request(code=code, settings=pool_settings, sanitize=False)
    threading.Timer(4.0, req.cancel.set).start()
    start = time.monotonic()
    result = [ev.result for ev in pipeline.run(req) if isinstance(ev, Finished)][0]
    assert not result.ok and result.status == "cancelled" and time.monotonic() - start < 30


def test_a_pipeline_job_runs_warm_and_its_video_is_right(pool_settings):
    code = ("from manim import *\n\nclass Steps(Scene):\n    def construct(self):\n        sq = Square()\n"
            "        self.play(Create(sq))\n        for i in range(5):\n"
            "            self.play(sq.animate.shift(RIGHT * 0.5), run_time=1)\n")
    events = list(pipeline.run(pipeline.Request(code=code, settings=pool_settings.with_(render_jobs=2),
                                                sanitize=False)))
    result = events[-1].result
    assert result.ok, result.errors
    assert result.warm is True
    assert len(result.chunks) == 2  # a render started during validation became the first chunk
    facts = probe(result.video)
    assert facts.frames == 6 * 15 and facts.nonblank()
    progress = [e.done for e in events if isinstance(e, Progress) and e.stage == "render"]
    assert progress == list(range(1, 7))  # per animation, each once


def test_without_a_free_worker_a_job_runs_cold(settings):
    s = settings.with_(render_concurrency=1)
    code = "from manim import *\n\nclass A(Scene):\n    def construct(self):\n        self.play(FadeIn(Circle()))\n"
    try:
        with workers.lease(s) as held:  # the only worker is taken
            assert held is not None
            result = [ev.result for ev in pipeline.run(pipeline.Request(code=code, settings=s, sanitize=False))
                      if isinstance(ev, Finished)][0]
    finally:
        workers.pool_for(s).close()
    assert result.ok and result.warm is False and probe(result.video).frames == 15
    assert (Path(result.job_dir) / "media" / "validate").is_dir()  # the cold runs worked in the job folder


def test_workers_outlive_the_threads_of_the_jobs_that_refilled_the_pool(pool_settings):
    """bubblewrap kills a sandbox when the thread that started it ends; jobs run in threads that end."""
    pool = workers.pool_for(pool_settings)
    assert _wait_for(lambda: len(_ready_pids(pool)) == 2)

    def job():
        with workers.lease(pool_settings):
            pass  # the release refills the pool while this thread still lives ...
        time.sleep(2)  # ... and goes on (writes the job's history, say), then ends

    for _ in range(2):
        t = threading.Thread(target=job)
        t.start()
        t.join()
    assert _wait_for(lambda: len(_ready_pids(pool)) == 2)
    before = _ready_pids(pool)
    time.sleep(3)
    assert _ready_pids(pool) == before and all(Path(f"/proc/{pid}").exists() for pid in before)


def test_a_leased_worker_outlives_its_pool(pool_settings, tmp_path):
    """Jobs with other settings replace the process's pool; a job that holds a worker of the old one goes on."""
    job = jobs.new_job(pool_settings.jobs_dir)
    other = pool_settings.with_(media_dir=tmp_path / "other-media")
    with workers.lease(pool_settings) as w:
        workers.pool_for(other)  # closes the pool `w` came from
        time.sleep(2)
        assert w.alive()
        res = run_in(w, job, "from manim import *\n\nclass A(Scene):\n    def construct(self):\n"
                             "        self.play(Create(Circle()))\n")
        assert res.returncode == 0, job.log_file.read_text()[-2000:]
    workers.pool_for(other).close()
