"""Distributed rendering on a real local Ray cluster (`ray start --head` on 127.0.0.1, two worker CPUs): the
CLI, pointed at it by T2M_RAY_ADDRESS, renders a long scene in two chunks on the cluster's workers (each in
the sandbox there) and joins them; the video is frame-identical to a render on this machine."""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from .conftest import run_cli
from .test_render import LONG
from .video import frames

ray = pytest.importorskip("ray", reason="ray is an optional dependency (requirements-ray.txt)")

# Loopback only (Ray otherwise picks the machine's outward address), no usage reporting, a token of our own.
RAY_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token"}


@pytest.fixture(scope="module")
def ray_cluster():
    from .app_fixtures import free_port

    port = free_port()
    temp = Path(tempfile.mkdtemp(prefix="t2m-ray-"))
    env = {**os.environ, **RAY_ENV, "RAY_AUTH_TOKEN": secrets.token_hex(32)}
    out = temp / "start.log"
    ray_bin = str(Path(sys.executable).with_name("ray"))
    proc = subprocess.Popen(
        [ray_bin, "start", "--head", "--block", "--port", str(port), "--num-cpus", "2",
         "--node-ip-address", "127.0.0.1", "--include-dashboard=false", "--disable-usage-stats",
         "--temp-dir", str(temp)], stdout=out.open("w"), stderr=subprocess.STDOUT, start_new_session=True, env=env)
    try:
        deadline = time.monotonic() + 90
        while "Ray runtime started" not in out.read_text(errors="replace"):
            assert proc.poll() is None and time.monotonic() < deadline, out.read_text(errors="replace")[-2000:]
            time.sleep(0.5)
        yield f"127.0.0.1:{port}", env
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the head and its workers: the group this fixture started
        proc.wait(timeout=30)
        shutil.rmtree(temp, ignore_errors=True)


@pytest.mark.slow
def test_chunks_rendered_on_a_ray_cluster_join_into_the_same_frames_as_a_local_render(ray_cluster, tmp_path):
    address, env = ray_cluster
    scene = tmp_path / "steps.py"
    scene.write_text(LONG)
    results = {}
    for where, extra in (("ray", {**env, "T2M_RAY_ADDRESS": address}), ("local", {})):
        proc = run_cli("render", str(scene), "-q", "l", "--jobs", "2", "--json", "--out", str(tmp_path / where),
                       env={**extra, "T2M_MEDIA_DIR": str(tmp_path / f"media-{where}")}, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        results[where] = json.loads(proc.stdout.strip().splitlines()[-1])
    ray_log = Path(results["ray"]["video"]).parent / "render.log"
    log = ray_log.read_text(errors="replace")
    # both chunks ran as Ray tasks on the cluster's workers, not on this machine
    assert log.count(f"rendered on the Ray cluster at {address}") == 2, log[-3000:]
    workers = set(re.findall(rf"rendered on the Ray cluster at {re.escape(address)}: worker \S+ pid (\d+)", log))
    assert len(workers) == 2 and str(os.getpid()) not in workers  # two worker processes, side by side
    assert "Ray cluster at" not in (Path(results["local"]["video"]).parent / "render.log").read_text()
    remote, local = frames(results["ray"]["video"]), frames(results["local"]["video"])
    assert len(remote) == len(local) == 8 * 15
    assert max(np.abs(a.astype(int) - b.astype(int)).max() for a, b in zip(remote, local)) == 0


def test_an_unreachable_cluster_falls_back_to_this_machine(settings):
    from text_to_manim.sandbox import distributed

    from .app_fixtures import free_port

    s = settings.with_(ray_address=f"127.0.0.1:{free_port()}")  # nothing listens there
    t0 = time.monotonic()
    assert distributed.chunk_stream(s) is None
    assert distributed.chunk_stream(s) is None  # remembered: no second try for a while
    assert time.monotonic() - t0 < 10


def test_a_chunk_log_from_the_cluster_is_never_written_through_a_link_a_run_planted(tmp_path):
    """An earlier run of the job (its validation) can plant the chunk's log name as a link to a host file:
    the worker's log is appended here without following it (it was a plain open: the host file grew)."""
    from text_to_manim.sandbox import distributed

    host_file = tmp_path / "host.txt"
    host_file.write_text("host canary\n")
    job_dir = tmp_path / "job"
    job_dir.mkdir()
    log_file = job_dir / "chunk_0.log"
    log_file.symlink_to(host_file)
    item = {"log": b"worker output\n", "where": "worker w1 pid 7\n\x1b[2Jforged line",
            "result": {"returncode": 0, "messages": []}, "files": []}
    out = list(distributed._finish(job_dir, 0, item, log_file, "127.0.0.1:6379", False))
    assert out[-1][1].returncode == 0
    assert host_file.read_text() == "host canary\n"
    assert not log_file.is_symlink()
    text = log_file.read_text()
    assert "rendered on the Ray cluster at 127.0.0.1:6379" in text and "worker output" in text
    assert text.count("\n") == 2, "a name the worker sent stays on its one line"
