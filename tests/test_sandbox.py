"""The sandbox, proved by running code that tries to get out (the policy check is bypassed on purpose:
these scenes go straight to the sandboxed runner, as if a policy bug had let them through)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from text_to_manim import config, jobs
from text_to_manim.events import CodeError
from text_to_manim.sandbox import cgroups, workers
from text_to_manim.sandbox import walls as sandbox

from .conftest import ROOT

pytestmark = pytest.mark.skipif(sandbox.bwrap_path() is None, reason="bubblewrap cannot create namespaces here")

PROBE = '''
import json
from manim import *

def attempt(fn):
    try:
        return "ok: " + str(fn())[:200]
    except BaseException as exc:
        return "blocked: " + type(exc).__name__

class Probe(Scene):
    def construct(self):
        import os, socket
        results = {{
            "socket": attempt(lambda: socket.create_connection(("127.0.0.1", {port}), timeout=3).recv(100)),
            "dotenv": attempt(lambda: open({dotenv!r}).read()),
            "other_job": attempt(lambda: open({other!r}).read()),
            "home": attempt(lambda: open({home_file!r}).read()),
            "project": attempt(lambda: open({project!r}).read()),
            "env": dict(os.environ),
            "write_outside": attempt(lambda: open("/usr/t2m_probe", "w").write("x")),
            "proc_parent": attempt(lambda: open("/proc/1/environ", "rb").read()),
        }}
        with open("probe.json", "w") as fh:
            json.dump(results, fh)
        self.wait(0.1)
'''


@pytest.fixture
def server():
    """A real TCP server on 127.0.0.1 that hands a secret to whoever connects."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    connected = threading.Event()

    def serve():
        srv.settimeout(20)
        try:
            conn, _ = srv.accept()
            connected.set()
            conn.sendall(b"SECRET-FROM-HOST")
            conn.close()
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    yield srv.getsockname()[1], connected
    srv.close()


def run_probe(job, code, limits=None, **kw):
    job.write_code(code)
    return sandbox.run(job.dir, ["validate", str(job.scene_file), "--out", str(job.dir / "media")],
                       limits or sandbox.Limits(wall_seconds=120), log_file=job.log_file, **kw)


@pytest.fixture
def dotenv_secret():
    """A secret in the project's .env (created for the test only if the project has none)."""
    path = ROOT / ".env"
    created = not path.exists()
    if created:
        path.write_text("T2M_PROBE_SECRET=dotenv-secret-value\n")
    yield path
    if created:
        path.unlink()


@pytest.fixture
def home_secret():
    path = Path.home() / ".t2m-sandbox-probe"
    path.write_text("a file in the user's home")
    yield path
    path.unlink()


def run_warm(settings, job, code):
    """The probe in a warm worker of the pool (as a job's runs go), its folder seen at /job."""
    job.write_code(code)
    with workers.lease(settings.with_(render_concurrency=1)) as worker:
        worker.sync_in([job.scene_file])
        result = [m for _, m in worker.stream([["validate", "scene.py", "--out", "media"]],
                                              sandbox.Limits(wall_seconds=120), [job.log_file])][-1]
        shutil.copyfile(worker.slot / "probe.json", job.dir / "probe.json")
    workers.pool_for(settings.with_(render_concurrency=1)).close()
    return result


@pytest.mark.slow
@pytest.mark.parametrize("how", ["cold", "warm"])
def test_generated_code_cannot_escape(settings, server, dotenv_secret, home_secret, monkeypatch, how):
    port, connected = server
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-parent-secret-key")
    monkeypatch.setenv("LLM_API_KEY", "sk-parent-llm-key")
    other = jobs.new_job(settings.jobs_dir)
    (other.dir / "secret.txt").write_text("other job's data")
    job = jobs.new_job(settings.jobs_dir)
    code = PROBE.format(port=port, dotenv=str(dotenv_secret), other=str(other.dir / "secret.txt"),
                        project=str(ROOT / "text_to_manim" / "config.py"), home_file=str(home_secret))
    result = run_probe(job, code) if how == "cold" else run_warm(settings, job, code)
    assert result.returncode == 0, job.log_file.read_text()[-2000:]
    probe = json.loads((job.dir / "probe.json").read_text())
    assert probe["socket"].startswith("blocked") and not connected.is_set()
    assert probe["dotenv"].startswith("blocked")
    assert probe["other_job"].startswith("blocked")
    assert probe["home"].startswith("blocked")
    assert probe["project"].startswith("blocked")
    assert probe["write_outside"].startswith("blocked")
    assert "sk-parent" not in json.dumps(probe)  # not in os.environ, not via /proc
    assert not any(k.endswith("_API_KEY") for k in probe["env"])
    assert not (job.dir / ".." / "t2m_probe").exists()


def _alive(marker: str) -> bool:
    out = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    return bool(out.stdout.strip())


@pytest.mark.slow
def test_wall_clock_limit_kills_the_whole_group(job):
    code = ("from manim import *\nimport time\n\nclass Spin(Scene):\n    def construct(self):\n"
            "        while True:\n            time.sleep(0.01)\n")
    start = time.monotonic()
    result = run_probe(job, code, sandbox.Limits(wall_seconds=4))
    assert result.timed_out and time.monotonic() - start < 15
    errors = sandbox.errors_of(result, "validate", sandbox.Limits(wall_seconds=4), job.log_file)
    assert errors[0].kind == "Timeout"
    time.sleep(0.5)
    assert not _alive(str(job.scene_file))


@pytest.mark.slow
def test_cpu_limit_stops_a_busy_loop(job):
    code = "from manim import *\n\nclass Busy(Scene):\n    def construct(self):\n        while True:\n            pass\n"
    limits = sandbox.Limits(wall_seconds=60, cpu_seconds=3)
    result = run_probe(job, code, limits)
    assert result.killed_by == "SIGXCPU" and not result.timed_out
    assert sandbox.errors_of(result, "validate", limits, job.log_file)[0].kind == "CPULimit"


@pytest.mark.slow
def test_memory_limit(job):
    code = ("from manim import *\nimport numpy as np\n\nclass Bomb(Scene):\n    def construct(self):\n"
            "        blocks = []\n        while True:\n            blocks.append(np.ones(50_000_000))\n")
    limits = sandbox.Limits(wall_seconds=60, memory_bytes=1024 * sandbox.MIB)
    result = run_probe(job, code, limits)
    errors = sandbox.errors_of(result, "validate", limits, job.log_file)
    assert errors and ("memory" in errors[0].message.lower())
    assert errors[0].line == 8


@pytest.mark.slow
def test_cancel_kills_the_render(job):
    code = "from manim import *\nimport time\n\nclass Slow(Scene):\n    def construct(self):\n        time.sleep(60)\n"
    cancel = threading.Event()
    threading.Timer(2.0, cancel.set).start()
    start = time.monotonic()
    result = run_probe(job, code, cancel=cancel)
    assert result.cancelled and time.monotonic() - start < 10
    time.sleep(0.5)
    assert not _alive(str(job.scene_file))


def test_child_environment_is_an_allow_list(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    env = sandbox.child_env("/tmp")
    assert "OPENAI_API_KEY" not in env and set(env) <= {
        "PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED",
        "PYTHONNOUSERSITE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MPLBACKEND"}


def test_bwrap_binds_nothing_of_the_project_but_the_venv_and_the_job(job):
    cmd = sandbox.bwrap_command("bwrap", job.dir, ["python"])
    binds = [cmd[i + 1] for i, a in enumerate(cmd) if a in ("--bind", "--ro-bind", "--ro-bind-try")]
    inside_project = [b for b in binds if b.startswith(str(ROOT))]
    venv = os.path.realpath(os.sys.prefix)
    assert all(b.startswith(venv) or b.startswith(str(job.dir)) or b == str(sandbox.RUNNER_DIR)
               for b in inside_project), inside_project
    writable = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--bind"]
    assert writable == [str(job.dir)]


def test_tools_over_scene_output_run_behind_the_same_walls(job, dotenv_secret):
    (job.dir / "inside.txt").write_text("job file")
    limits = sandbox.Limits(wall_seconds=30)
    assert sandbox.run_tool(job.dir, ["cat", str(job.dir / "inside.txt")], limits).stdout == "job file"
    assert sandbox.run_tool(job.dir, ["cat", str(dotenv_secret)], limits).returncode != 0
    sandbox.run_tool(job.dir, ["touch", str(ROOT / "t2m-tool-probe")], limits)  # lands in a throwaway tmpfs
    assert not (ROOT / "t2m-tool-probe").exists()


def test_a_tool_that_floods_its_output_is_stopped_and_the_app_keeps_only_its_tail(job):
    """A crafted video can make ffmpeg print without end: the app must not hold it all (it did, until the
    wall time: gigabytes in the app's own memory)."""
    limits = sandbox.Limits(wall_seconds=60, output_bytes=64 * sandbox.MIB)
    t0 = time.monotonic()
    proc = sandbox.run_tool(job.dir, ["sh", "-c", "yes 'frame error' >&2; echo done"], limits)
    assert time.monotonic() - t0 < 45, "stopped by its output bound, not by the wall time"
    assert proc.returncode != 0
    assert len(proc.stderr) <= sandbox.KEPT_OUTPUT_BYTES + 1024
    assert proc.stderr.rstrip().endswith(sandbox.OUTPUT_LIMIT_MESSAGE.format(mib=64))
    assert "frame error" in proc.stderr


def test_a_tool_keeps_the_end_of_what_it_printed(job):
    limits = sandbox.Limits(wall_seconds=30)
    proc = sandbox.run_tool(job.dir, ["sh", "-c", "seq 1 2000000; echo last line >&2; exit 3"], limits)
    assert proc.returncode == 3
    assert proc.stdout.endswith("2000000\n") and not proc.stdout.startswith("1\n")
    assert proc.stderr == "last line\n"


def test_a_warm_worker_writes_only_to_its_slot_and_reads_the_formula_cache_read_only(tmp_path):
    slot, shared = tmp_path / "slot", tmp_path / "tex"
    slot.mkdir()
    shared.mkdir()
    cmd, isolated = sandbox.worker_command(slot, shared)
    assert isolated
    writable = [(cmd[i + 1], cmd[i + 2]) for i, a in enumerate(cmd) if a == "--bind"]
    assert writable == [(str(slot), sandbox.SLOT_IN_SANDBOX)]
    assert ["--ro-bind", str(shared), sandbox.SHARED_TEX_IN_SANDBOX] == cmd[cmd.index(str(shared)) - 1:][:3]
    tex_cmd, _ = sandbox.tex_step_command(shared)  # the trusted TeX step: the cache is all it may write
    assert [(tex_cmd[i + 1], tex_cmd[i + 2]) for i, a in enumerate(tex_cmd) if a == "--bind"] == [
        (str(shared), sandbox.SHARED_TEX_IN_SANDBOX)]


FORK_BOMB = '''
import os, time
from manim import *

class Bomb(Scene):
    def construct(self):
        made = 0
        for _ in range(3000):
            try:
                if os.fork() == 0:
                    os.setsid()  # leave the process group: only the cgroup still holds it
                    time.sleep(120)
                    os._exit(0)
                made += 1
            except OSError:
                break
        open("made.txt", "w").write(str(made))
        self.wait(0.1)
'''


@pytest.mark.slow
@pytest.mark.skipif(not cgroups.available(), reason="no writable pids cgroup here")
def test_a_fork_bomb_is_capped_by_the_sandbox_and_nothing_outlives_the_run(job):
    before = len(os.listdir("/proc"))
    result = run_probe(job, FORK_BOMB, sandbox.Limits(wall_seconds=60))
    made = int((job.dir / "made.txt").read_text())
    assert made < cgroups.MAX_PIDS, f"the scene made {made} processes"
    assert not result.timed_out
    time.sleep(0.5)
    assert len(os.listdir("/proc")) < before + 20, "processes of the run are still alive"
    base = cgroups.hierarchy("pids").base
    assert not list(base.glob(f"{cgroups.PREFIX}{os.getpid()}-*")), "the run's cgroup was left behind"


@pytest.mark.skipif(not cgroups.available(), reason="no writable pids cgroup here")
def test_doctor_reports_the_process_cap():
    from text_to_manim.cli import doctor
    cap = next(c for c in doctor.checks() if c.name == "process cap")
    assert cap.ok and str(cgroups.MAX_PIDS) in cap.detail


# Processes that each hold memory far below their own address-space limit (1 GiB), together far above
# the run's bound: per-process limits let this through, only a bound on the whole run stops it.
MEMORY_FORKS = '''
import os, time
from manim import *

class Hog(Scene):
    def construct(self):
        kids = []
        for _ in range({children}):
            pid = os.fork()
            if pid == 0:
                os.setsid()  # out of the process group: only the cgroup still holds it
                block = bytearray({mib} << 20)  # zeroed, so every page is really there
                time.sleep({hold})
                os._exit(0)
            kids.append(pid)
        for pid in kids:
            os.waitpid(pid, 0)
        open("survived.txt", "w").write("every child held its memory")
        self.wait(0.1)
'''

# RAM the app gives the sandbox as files (tmpfs /tmp and /dev/shm, counted against no process), then a
# heap that fits the process's own limit: together over the run's bound.
TMPFS_FILL = '''
import time
from manim import *

class Fill(Scene):
    def construct(self):
        chunk = b"x" * (16 << 20)
        for folder, mib in (("/tmp", 480), ("/dev/shm", 56)):
            for i in range(mib // 16):
                with open(f"{{folder}}/fill{{i}}", "wb") as fh:
                    fh.write(chunk)
        block = bytearray({heap_mib} << 20)
        time.sleep(5)
        open("survived.txt", "w").write("held /tmp, /dev/shm and the heap")
        self.wait(0.1)
'''

needs_memory_cgroup = pytest.mark.skipif(not cgroups.memory_available(), reason="no writable memory cgroup here")


def _memory_error(result, limits, job) -> CodeError:
    errors = sandbox.errors_of(result, "validate", limits, job.log_file)
    assert errors and errors[0].kind == "MemoryLimit", (result, errors, job.log_file.read_text()[-2000:])
    return errors[0]


def _gone(pids, seconds: float = 5.0) -> bool:
    """Killed processes take a moment to go (they free their memory first)."""
    end = time.monotonic() + seconds
    while pids() and time.monotonic() < end:
        time.sleep(0.1)
    return not pids()


def _no_groups_left() -> bool:
    h = cgroups.hierarchy("memory")
    return not list(h.base.glob(f"{cgroups.PREFIX}{os.getpid()}-*"))


@pytest.mark.slow
@needs_memory_cgroup
def test_many_processes_within_their_own_limits_are_stopped_by_the_run_memory_bound(job):
    limits = sandbox.Limits(wall_seconds=90)
    start = time.monotonic()
    result = run_probe(job, MEMORY_FORKS.format(children=8, mib=200, hold=15), limits)
    error = _memory_error(result, limits, job)
    assert f"more than {limits.run_bound // sandbox.MIB} MiB" in error.message and "one run" in error.message
    assert not (job.dir / "survived.txt").exists()
    assert not result.timed_out and time.monotonic() - start < 60  # stopped when it went over, not at the end
    time.sleep(0.5)
    assert not _alive(str(job.scene_file)), "a process of the run outlived it"
    assert _no_groups_left(), "the run's cgroup was left behind"


@pytest.mark.slow
@needs_memory_cgroup
def test_filling_tmp_and_dev_shm_counts_against_the_run_memory_bound(job):
    limits = sandbox.Limits(wall_seconds=90)
    result = run_probe(job, TMPFS_FILL.format(heap_mib=500), limits)
    error = _memory_error(result, limits, job)
    assert "one run" in error.message and "/tmp" in error.message
    assert not (job.dir / "survived.txt").exists()
    time.sleep(0.5)
    assert not _alive(str(job.scene_file)) and _no_groups_left()


@pytest.mark.slow
@needs_memory_cgroup
def test_a_jobs_runs_together_are_held_by_the_job_memory_bound(job):
    """Two runs of one job, each well within its own bound, together over the job's."""
    limits = sandbox.Limits(wall_seconds=120, job_memory_bytes=1024 * sandbox.MIB)
    code = MEMORY_FORKS.format(children=1, mib=500, hold=20)
    (job.dir / "a.py").write_text(code.replace("survived.txt", "survived_a.txt"))
    (job.dir / "b.py").write_text(code.replace("survived.txt", "survived_b.txt"))
    runs = [["validate", str(job.dir / name), "--out", str(job.dir / f"media/{name}")] for name in ("a.py", "b.py")]
    logs = [job.dir / "a.log", job.dir / "b.log"]
    results = {i: r for i, r in sandbox.stream(job.dir, runs, limits, logs) if isinstance(r, sandbox.RunResult)}
    errors = [e for i, r in results.items() for e in sandbox.errors_of(r, "validate", limits, logs[i])]
    assert errors and all(e.kind == "MemoryLimit" for e in errors), (errors, logs[0].read_text()[-2000:])
    assert all("more than 1024 MiB" in e.message and "one job" in e.message for e in errors)
    assert len(list(job.dir.glob("survived_*.txt"))) < 2
    time.sleep(0.5)
    assert not _alive(str(job.dir / "a.py")) and not _alive(str(job.dir / "b.py")) and _no_groups_left()


@pytest.mark.slow
@needs_memory_cgroup
def test_a_warm_worker_and_its_runs_are_held_by_the_job_memory_bound(settings, job):
    s = settings.with_(render_concurrency=1, job_memory_mb=1024)
    job.write_code(MEMORY_FORKS.format(children=8, mib=200, hold=15))
    limits = sandbox.Limits(wall_seconds=90)
    try:
        with workers.lease(s) as worker:
            assert worker is not None
            worker.sync_in([job.scene_file])
            result = [m for _, m in worker.stream([["validate", "scene.py", "--out", "media"]], limits,
                                                  [job.log_file])][-1]
            error = _memory_error(result, limits, job)
            assert "more than 1024 MiB" in error.message and "one job" in error.message
            assert not (worker.slot / "survived.txt").exists()
            assert worker.exited.wait(5), "the worker outlived its job's bound"
            assert _gone(worker.group.pids), "a run of the worker outlived the job's bound"
    finally:
        workers.pool_for(s).close()
    assert _no_groups_left()


@needs_memory_cgroup
def test_doctor_reports_the_memory_bounds():
    from text_to_manim.cli import doctor
    bound = next(c for c in doctor.checks() if c.name == "memory bound")
    s = config.load()
    assert bound.ok and f"each run at most {sandbox.run_memory_bytes(s, s.quality) // sandbox.MIB} MiB" in bound.detail
    assert f"each job at most {sandbox.job_memory_bytes(s) // sandbox.MIB} MiB" in bound.detail
