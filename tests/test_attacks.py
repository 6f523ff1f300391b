"""The attack corpus (issues 10 and 11): every hostile scene in tests/data/attacks/ is contained.

Each scene goes through the real pipeline's checks: the policy first; what it accepts runs in the real
sandbox along the validate path (the scene graph, last frame only). The test id names the family, the
attack and the layer that must stop it (`test_attack[network-av_tcp-sandbox]`). After the run the test
proves the harm did not happen, with the same checks for every attack:
- no secret of the host (canaries in ~/.ssh, the project .env, another job, the parent's environment, the
  first line of /etc/shadow) in any file of the job folder or in the reported errors;
- no attack reported success (the scenes write T2M-PWNED into the job folder when they get what they want;
  in their code the marker is written in two pieces, so a traceback quoting a line is no false alarm);
- files and folders outside the job untouched, the test's TCP and unix-socket servers got no connection;
- the job folder holds only regular files and folders (no link or FIFO for the app to follow), within its
  size and file-count bounds, and the app can still write its own files there;
- no process of the job left, and the host still fine (this process's memory, a new process can start).
Scenes whose header says `runs: cold+warm` run twice: cold, and in a warm worker (the runs of a job are
children of one sandboxed process there, which they must not reach).

Attacks on the app's own glue (issue 16) have their own tests below, since they need two runs at once, a
lower bound, or a measure of the app while the run goes on: a link raced onto a log while the app writes
its note there, floods of output (with and without newlines, through a warm worker's own pipe), printing
that must not pass for progress.
"""
from __future__ import annotations

import hashlib
import os
import resource
import secrets
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from text_to_manim import jobs
from text_to_manim.events import Finished
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.sandbox import workers
from text_to_manim.scene import policy, validate

from .conftest import ROOT

ATTACKS = Path(__file__).parent / "data" / "attacks"
MARKER = "T2M-PWNED"
WALL_SECONDS = 20  # the sandbox's wall clock for these runs: endless attacks cost this much, no more
DISK_MB = 512  # the job folder's bound for these runs (T2M_JOB_DISK_MB), so disk bombs stop early
MIB = 1 << 20


def _header(path: Path) -> dict:
    meta = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        meta[key] = value
    return meta


def _cases():
    out = []
    for path in sorted(ATTACKS.glob("*.py")):
        meta = _header(path)
        name = path.stem.split("__", 1)[1]
        for where in meta.get("runs", "cold").split("+"):
            suffix = "" if where == "cold" else f"-{where}"
            out.append(pytest.param(path, meta["layer"], where, id=f"{meta['family']}-{name}-{meta['layer']}{suffix}"))
    return out


class _Listener:
    """A real server on the host that counts who connects: TCP on 127.0.0.1 and a unix socket."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.connections = 0
        sock.listen()
        sock.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                conn.sendall(b"SECRET-FROM-THE-HOST\n")
            finally:
                conn.close()

    def close(self):
        self.stop.set()
        self.thread.join(timeout=2)
        self.sock.close()


@dataclass
class Host:
    """What an attack could harm: secrets, files and servers outside the job folder."""

    values: dict  # placeholder -> value put into the scene
    canaries: list  # strings that must never reach the job folder
    watched: dict  # path -> digest of files that must stay as they are
    host_dir: Path
    listeners: list = field(default_factory=list)

    def snapshot(self) -> dict:
        return {p: _digest(p) for p in self.watched}


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() + f":{path.stat().st_mtime_ns}"
    except OSError:
        return "missing"


@pytest.fixture
def host(tmp_path, settings, monkeypatch):
    secret = "T2M-CANARY-" + secrets.token_hex(8)
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    (host_dir / "canary.txt").write_text(f"host file {secret}-host\n")
    made = []

    def plant(path: Path, text: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(text)
            made.append(path)

    ssh_name = f"t2m_attack_canary_{secrets.token_hex(4)}"
    plant(Path.home() / ".ssh" / ssh_name, f"-----BEGIN OPENSSH PRIVATE KEY-----\n{secret}-ssh\n")
    plant(ROOT / ".env", f"DEEPSEEK_API_KEY={secret}-dotenv\n")
    other = jobs.new_job(settings.jobs_dir)
    (other.dir / "secret.txt").write_text(f"another person's job {secret}-job\n")
    for key in ("DEEPSEEK_API_KEY", "LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.setenv(key, f"{secret}-env-{key}")
    canaries = [secret]
    try:
        shadow = Path("/etc/shadow").read_text().splitlines()[0]
        canaries.append(shadow)
    except (OSError, IndexError):
        pass  # not readable here, so not readable in the sandbox either
    if (ROOT / ".env") not in made:  # a real .env: its values must not leak either
        canaries += [ln.split("=", 1)[1].strip() for ln in (ROOT / ".env").read_text().splitlines()
                     if "=" in ln and len(ln.split("=", 1)[1].strip()) >= 8]
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    unix_path = host_dir / "host.sock"
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(unix_path))
    listeners = [_Listener(tcp), _Listener(unix)]
    values = {"PORT": str(tcp.getsockname()[1]), "HOST_DIR": str(host_dir), "PROJECT": str(ROOT),
              "HOME": str(Path.home()), "SSH_CANARY": ssh_name, "OTHER_JOB": str(other.dir),
              "UNIX_SOCKET": str(unix_path)}
    watched = [host_dir / "canary.txt", Path.home() / ".ssh" / ssh_name, ROOT / ".env", other.dir / "secret.txt"]
    h = Host(values, canaries, {}, host_dir, listeners)
    h.watched = {p: _digest(p) for p in watched}
    yield h
    for listener in listeners:
        listener.close()
    for p in made:
        p.unlink(missing_ok=True)


def _job_files(job_dir: Path):
    for root, dirs, files in os.walk(job_dir, followlinks=False):
        for name in dirs + files:
            yield Path(root) / name


def _leaks(job_dir: Path, needles: list[str], code: str) -> list[str]:
    """Which needles appear in the job folder's regular files (read in chunks; links are not followed), the
    scene's own code and its compiled form aside (they name the marker)."""
    found = set()
    for p in _job_files(job_dir):
        own_code = p.suffix == ".pyc" or (p.suffix == ".py" and p.read_text(errors="replace") == code)
        if not p.is_file() or p.is_symlink() or own_code:
            continue
        with p.open("rb") as fh:
            tail = b""
            while chunk := fh.read(8 * MIB):
                text = (tail + chunk).decode("utf-8", "replace")
                found.update(f"{n} in {p.name}" for n in needles if n in text)
                tail = chunk[-256:]
    return sorted(found)


def _alive(marker: str) -> list[str]:
    out = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True).stdout
    return [ln for ln in out.splitlines() if "pgrep" not in ln]


def _run_in_sandbox(code: str, job: jobs.Job, settings, where: str = "cold") -> tuple[object, float]:
    """Validate the code in a fresh process per run (cold), or in a warm worker leased for the job."""
    if where == "warm":
        settings = settings.with_(render_concurrency=1)
        try:
            with workers.lease(settings) as worker:
                assert worker is not None, "no warm worker to run the attack in"
                return _validate(code, job, settings, worker)
        finally:
            workers.pool_for(settings).close()
    return _validate(code, job, settings, None)


def _validate(code: str, job: jobs.Job, settings, runs) -> tuple[object, float]:
    outcome, start = None, time.monotonic()
    for ev in validate.validate(code, job, settings=settings, runs=runs):
        if isinstance(ev, Finished):
            outcome = ev.result
    return outcome, time.monotonic() - start


@pytest.mark.slow
@pytest.mark.parametrize("path, layer, where", _cases())
def test_attack(path, layer, where, host, settings):
    code = _attack_code(path, host)
    review = policy.review(code)
    if layer == "policy":
        assert review.errors, f"the policy let {path.name} through"
        assert all(e.line and len(e.message) > 25 for e in review.errors if e.kind != "no-scene"), review.errors
        return
    assert not review.errors, f"expected the sandbox to be tested, but the policy refused: {review.errors}"
    job = jobs.new_job(settings.jobs_dir)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome, seconds = _run_in_sandbox(code, job, settings.with_(render_timeout=WALL_SECONDS, job_disk_mb=DISK_MB),
                                       where)
    assert outcome is not None and seconds < WALL_SECONDS + (60 if where == "warm" else 30)  # + the worker's start
    # the app goes on using its job folder after the run: nothing planted there may redirect it
    job.log("the app writes its log after the run")
    job.write_code(code)
    job.write_code(code, "round1.py")
    (job.dir / "result.json").write_text("{}")

    leaked = _leaks(job.dir, host.canaries + [MARKER], code)
    reported = " ".join(e.message + e.source_line for e in outcome.errors)
    assert not leaked, f"{path.name} got {leaked} into the job folder"
    assert not [c for c in host.canaries if c in reported], "a secret in the reported errors"
    assert host.snapshot() == host.watched, "a file outside the job folder changed"
    assert sorted(p.name for p in host.host_dir.iterdir()) == ["canary.txt", "host.sock"]
    assert [lst.connections for lst in host.listeners] == [0, 0], "a server on the host was reached"
    assert not list(ROOT.glob("pwned*")) and not Path("/usr/local/pwned.txt").exists()
    odd = [p for p in _job_files(job.dir) if p.is_symlink() or not (p.is_file() or p.is_dir())]
    assert not odd, f"links or special files left in the job folder: {odd}"
    files = list(_job_files(job.dir))
    assert len(files) <= 2 * sandbox.Limits().max_files  # the bound plus what a second of writing adds
    assert sum(p.stat().st_size for p in files if p.is_file()) <= (DISK_MB + 512) * MIB
    time.sleep(0.3)
    assert not _alive(str(job.dir)), "a process of the job outlived it"
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert (rss_after - rss_before) * 1024 < 300 * MIB, "the app's memory grew by the attack"
    assert subprocess.run(["true"]).returncode == 0  # the host can still start a process
    if not outcome.ok:  # contained by failing: the person is told why, with a reason
        assert outcome.errors and all(len(e.message) > 10 for e in outcome.errors)
    expected = _header(path).get("error")  # a scene that names its error kind must be stopped with it
    if expected:
        assert not outcome.ok and expected in {e.kind for e in outcome.errors}, outcome.errors


def _attack_code(path: Path, host: Host) -> str:
    code = path.read_text(encoding="utf-8")
    for key, value in host.values.items():
        code = code.replace("{{" + key + "}}", value)
    return code


class PeakMemory:
    """This process's resident memory, sampled while a run goes on: the app must not buffer a run's output."""

    def __init__(self):
        self.base = self.peak = self._rss()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/status") as fh:
            return next(int(ln.split()[1]) * 1024 for ln in fh if ln.startswith("VmRSS:"))

    def _sample(self):
        while not self.stop.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.base


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in _job_files(folder) if p.is_file() and not p.is_symlink())


@pytest.mark.slow
@pytest.mark.parametrize("where", ["cold", "warm"])
@pytest.mark.parametrize("attack", ["resource__output_flood_no_newline", "resource__log_flood"])
def test_a_flood_of_output_stops_the_run_and_the_app_stays_small(attack, where, host, settings):
    """Issue 16.3 and 16.4: the app read a line of any length (23 GiB resident) and appended all a scene
    printed to its log in the job folder (2.8 GB with T2M_JOB_DISK_MB=200)."""
    code = _attack_code(ATTACKS / f"{attack}.py", host)
    job = jobs.new_job(settings.jobs_dir)
    with PeakMemory() as memory:
        outcome, seconds = _run_in_sandbox(code, job, settings.with_(render_timeout=60, job_disk_mb=200), where)
    assert [e.kind for e in outcome.errors] == ["OutputLimit"], outcome.errors
    assert "printed more than" in outcome.errors[0].message
    assert memory.growth < 150 * MIB, f"the app grew by {memory.growth // MIB} MiB"
    assert _folder_bytes(job.dir) < 8 * MIB, "the job folder holds more than the logs' head and tail"
    log = job.log_file.read_text(errors="replace")
    assert "bytes of this run's output left out" in log  # the log says what it dropped


@pytest.mark.slow
@pytest.mark.parametrize("where", ["cold", "warm"])
def test_printing_is_not_progress(where, settings, job):
    """A scene that prints now and then but never animates is stopped by the stall budget."""
    (job.dir / "scene.py").write_text((ATTACKS / "resource__print_forever.py").read_text())
    limits = sandbox.Limits(wall_seconds=60, stall_seconds=3)
    args = [["validate", "scene.py", "--scene", "Attack", "--out", "media/validate"]]
    if where == "warm":
        s = settings.with_(render_concurrency=1)
        try:
            with workers.lease(s) as worker:
                worker.sync_in([job.dir / "scene.py"])
                results = [m for _, m in worker.stream(args, limits, [job.log_file]) if isinstance(m, sandbox.RunResult)]
        finally:
            workers.pool_for(s).close()
    else:
        results = [m for _, m in sandbox.stream(job.dir, args, limits, [job.log_file])
                   if isinstance(m, sandbox.RunResult)]
    assert results[0].timed_out and results[0].seconds < 30, results[0]
    assert "made no progress for 3 s" in sandbox.errors_of(results[0], "validate", limits, job.log_file)[0].message


@pytest.mark.slow
def test_a_link_raced_onto_a_log_is_never_written_through(host, settings):
    """Issue 16.1: when one chunk ended, the app appended its note to the chunk's log with a plain open,
    while the other chunk kept planting a link there; the note listed names the scene chose, newlines and
    all (a line of Python, in a .pth file)."""
    job = jobs.new_job(settings.jobs_dir)
    job.write_code(_attack_code(ATTACKS / "file__log_link_race.py", host))
    args = [["validate", "scene.py", "--scene", "Attack", "--out", f"media/v{i}", "--cache", "media/cache"]
            for i in range(2)]
    logs = [job.dir / f"render.part{i}.log" for i in range(2)]
    results = [m for _, m in sandbox.stream(job.dir, args, sandbox.Limits(wall_seconds=60), logs)
               if isinstance(m, sandbox.RunResult)]
    assert len(results) == 2 and not any(r.timed_out for r in results)
    assert host.snapshot() == host.watched, "the app wrote through a link the scene planted"
    assert sorted(p.name for p in host.host_dir.iterdir()) == ["canary.txt", "host.sock"]
    odd = [p for p in _job_files(job.dir) if p.is_symlink() or not (p.is_file() or p.is_dir())]
    assert not odd
    for log in logs:  # a note that survived lists the odd name on one line, escaped
        text = log.read_text(errors="replace") if log.exists() else ""
        assert not any(line.startswith("import os") for line in text.splitlines())


def test_corpus_is_large_and_covers_every_family():
    metas = [_header(p) for p in ATTACKS.glob("*.py")]
    assert len(metas) >= 50
    families = {m["family"] for m in metas}
    assert families == {"file", "network", "environment", "process", "resource", "interpreter-escape"}
    assert {m["layer"] for m in metas} == {"policy", "sandbox"}
    for family in families:  # every family is tried against the sandbox itself, not only the policy
        assert any(m["family"] == family and m["layer"] == "sandbox" for m in metas), family


# -- issue 16.2: attacks on the shared formula cache (another visitor's formulas) ---------------------------

TEX_CACHE_ATTACKS = [p for p in sorted(ATTACKS.glob("*.py")) if "victim" in _header(p)]


def _points(svg: Path):
    import numpy as np
    from manim import SVGMobject

    return np.concatenate([m.points for m in SVGMobject(str(svg)).family_members_with_points()])


@pytest.mark.slow
@pytest.mark.parametrize("path", TEX_CACHE_ATTACKS, ids=lambda p: p.stem.split("__", 1)[1])
def test_a_scene_cannot_change_how_another_visitor_s_formulas_are_drawn(path, settings, tmp_path):
    """The attack scene goes the pipeline's way (the trusted step on its literal formulas, validation,
    its run-time formulas adopted); then the next visitor's formula, found in the shared cache, must be
    drawn exactly as its own source compiles alone."""
    import numpy as np
    from manim import MathTex, tempconfig

    from text_to_manim.tex import formula_cache

    code, victim = path.read_text(encoding="utf-8"), _header(path)["victim"]
    formula_cache.precompile(code, settings)
    outcome, _ = _run_in_sandbox(code, jobs.new_job(settings.jobs_dir), settings)
    assert outcome is not None and outcome.ok, outcome and outcome.errors
    formula_cache.adopt(outcome.tex_sources, settings)
    assert formula_cache.compile_items([formula_cache.formula_item(victim)], settings).formulas == 1
    with tempconfig({"tex_dir": str(tmp_path / "alone")}):
        alone = Path(MathTex(victim).file_name)
    shared = formula_cache.shared_dir(settings) / alone.name
    assert shared.is_file()
    a, b = _points(alone), _points(shared)
    assert a.shape == b.shape and np.array_equal(a, b), f"{victim!r} is drawn differently for the next visitor"
