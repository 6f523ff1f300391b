"""Run untrusted scene code in a child process that can do nothing but render into its job folder.

Layers (docs/ARCHITECTURE.md, "The sandbox"):
- bubblewrap: no network, a fresh root that holds only the system's read-only /usr and /etc, the Python
  install and the venv read-only, the runner script, and the job folder (the only writable place);
- an allow-listed environment: nothing of the parent's (no *_API_KEY, no .env values) reaches the child;
- rlimits: address space, CPU seconds, file size, open files;
- a wall-clock timeout (and, for validation, a stall budget) and cancel, all killing the whole process group.
Without bubblewrap the last three still apply, and `warn_once` says so loudly.

This is the cold path: one fresh process per run. `workers.py` keeps warm processes behind the same
walls (`worker_command`) and falls back to this when it has none.
"""
from __future__ import annotations

import logging
import os
import queue
import re
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

from text_to_manim import config
from text_to_manim.events import CodeError
from text_to_manim.sandbox import cgroups
from text_to_manim.sandbox import fs as sandbox_fs
from text_to_manim.sandbox.runner.protocol import Lines, message_of

log = logging.getLogger(__name__)

RUNNER_DIR = Path(__file__).resolve().parent / "runner"  # the package run inside the sandbox
RUNNER_DIR_IN_SANDBOX = "/opt/t2m/runner"
RUNNER_IN_SANDBOX = RUNNER_DIR_IN_SANDBOX + "/__main__.py"
RUNNER_ON_HOST = str(RUNNER_DIR / "__main__.py")
SHARED_TEX_IN_SANDBOX = "/opt/t2m/tex"  # the shared formula cache, read-only
SLOT_IN_SANDBOX = "/job"  # a warm worker's folder: host paths never show inside
MIB = 1024 * 1024
# Address space by quality: manim + numpy + cairo need ~768 MiB at -ql; sklearn scenes more.
MEMORY_LIMIT = {"l": 1024 * MIB, "m": 1024 * MIB, "h": 1536 * MIB, "k": 3072 * MIB}
FILE_SIZE_LIMIT = 2048 * MIB
OUTPUT_LIMIT_MESSAGE = ("the scene printed more than {mib} MiB of output and was stopped: print less (a print in "
                        "a loop?); the log keeps the first and last lines it printed")
REMOVED_NOTE = "removed what the scene made that the app cannot keep: {names}"
MESSAGES_KEPT = 5000  # a run's protocol messages kept in its RunResult (the last ones: errors and "done")
NO_BWRAP_WARNING = (
    "WARNING: bubblewrap (bwrap) is not usable here, so generated code runs WITHOUT namespace isolation "
    "(it could reach the network and read your files). Resource limits and a scrubbed environment still "
    "apply. Install it: sudo apt-get install bubblewrap"
)
# Read-only system paths the renderer needs (TeX trees, fonts, shared libraries); /etc in part, see sandbox_fs.
SYSTEM_RO = ("/usr", "/var/lib/texmf", "/var/cache/fontconfig", "/opt/texlive")
MERGED_USR_LINKS = ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")

MEMORY_BOUND_HIT = (
    "the scene used more than {mib} MiB of memory (the sandbox's memory bound for one {scope}: all its "
    "processes, /tmp and /dev/shm together) and was stopped, every process of the {scope} with it. Hold less "
    "in memory at once (fewer or smaller objects, arrays and frames, fewer processes) or render at a lower "
    "quality; the operator sets the bound with {setting}"
)
MEMORY_SETTING = {"run": "T2M_RUN_MEMORY_MB", "job": "T2M_JOB_MEMORY_MB"}
MEMORY_SHORT_AROUND = (
    "the machine ran short of memory while the scene ran (it held {mib} MiB, within its bounds) and the scene "
    "was stopped: try again later, or hold less in memory at once"
)


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 300
    cpu_seconds: int = 600
    memory_bytes: int = MEMORY_LIMIT["l"]
    # RAM of the run as a whole (its processes, the page cache they fill, its /tmp and /dev/shm; None: as
    # `memory_bytes`) and of its job's runs together (None: a run on its own), held by memory cgroups where
    # the host allows them; `memory_bytes` (per process) is the only memory bound where it does not.
    run_memory_bytes: Optional[int] = None
    job_memory_bytes: Optional[int] = None
    file_bytes: int = FILE_SIZE_LIMIT
    # Validation: stop a run that reports no progress (no animation, no message) for this long, so the
    # budget grows with the scene instead of being one fixed figure for every scene.
    stall_seconds: Optional[float] = None
    disk_bytes: int = sandbox_fs.JOB_DISK_BYTES  # the whole job folder, checked while the run goes
    max_files: int = sandbox_fs.JOB_MAX_FILES
    output_bytes: int = sandbox_fs.RUN_OUTPUT_BYTES  # all a run prints (stdout and stderr): past it, stopped

    @classmethod
    def for_quality(cls, quality: str, wall_seconds: float, disk_bytes: int = sandbox_fs.JOB_DISK_BYTES) -> Limits:
        # CPU time may exceed wall time only through threads; twice the wall time is a safe bound.
        return cls(wall_seconds=wall_seconds, cpu_seconds=int(wall_seconds * 2) + 5,
                   memory_bytes=MEMORY_LIMIT.get(quality, MEMORY_LIMIT["l"]), disk_bytes=disk_bytes)

    @property
    def run_bound(self) -> int:
        """The run's memory bound: its own, else one process's address-space limit at this quality (Manim's
        working set is well under it; /tmp and /dev/shm, sized in sandbox_fs, fit beside it)."""
        return self.run_memory_bytes or self.memory_bytes

    def for_job(self, settings: config.Settings) -> Limits:
        """These limits with the job's memory bounds from its settings (T2M_RUN_MEMORY_MB, T2M_JOB_MEMORY_MB)."""
        from dataclasses import replace
        return replace(self, run_memory_bytes=_mib(settings.run_memory_mb), job_memory_bytes=job_memory_bytes(settings))


@dataclass
class RunResult:
    returncode: Optional[int]
    messages: list = field(default_factory=list)  # the runner's JSON events
    timed_out: bool = False
    cancelled: bool = False
    out_of_memory: Optional[cgroups.MemoryHit] = None  # the memory bound (the run's or its job's) that ended it
    seconds: float = 0.0
    killed_by: Optional[str] = None  # signal name when killed by a limit
    over_limit: Optional[str] = None  # why the job folder grew past its bounds (the run was stopped)
    output_flood: bool = False  # it printed more than Limits.output_bytes (the run was stopped)

    def keep(self, msg: dict) -> None:
        """Keep a message; only the last MESSAGES_KEPT or so (a scene can forge protocol lines in a loop)."""
        self.messages.append(msg)
        if len(self.messages) > 2 * MESSAGES_KEPT:
            del self.messages[:-MESSAGES_KEPT]


# What a stream of runs yields: (run index, a runner message) as it speaks, (run index, RunResult) as it ends.
StreamItem = tuple[int, Union[dict, RunResult]]


@lru_cache(maxsize=1)
def bwrap_path() -> Optional[str]:
    """bwrap if it exists *and* can create namespaces here (containers may forbid it)."""
    path = shutil.which("bwrap")
    if not path:
        return None
    try:
        ok = subprocess.run([path, "--unshare-all", "--ro-bind", "/", "/", "true"], capture_output=True,
                            timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return path if ok else None


_warned = threading.Event()


def warn_once() -> None:
    if not _warned.is_set():
        _warned.set()
        log.warning(NO_BWRAP_WARNING)
        print(NO_BWRAP_WARNING, file=sys.stderr)


def child_env(home: str) -> dict:
    """An allow-list, not a deny-list: a new secret in the parent's environment can never leak."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONNOUSERSITE": "1",
        "OPENBLAS_NUM_THREADS": "1",  # one render = one core; parallelism is ours to plan (chunks)
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
    }


def _python_paths() -> list[Path]:
    paths = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.exec_prefix).resolve()}
    return sorted(paths)


def bwrap_command(bwrap: str, job_dir: Path, argv: list[str], *, inside: Optional[str] = None,
                  shared_tex: Optional[Path] = None) -> list[str]:
    """The walls: `job_dir` is the only writable place, seen at `inside` (default: its own path);
    `shared_tex`, when given, is visible read-only at SHARED_TEX_IN_SANDBOX."""
    cmd = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--tmpfs", "/"]
    # Fresh /tmp first: the venv or the job may live under /tmp, and later binds must land on top of it.
    cmd += ["--proc", "/proc", "--dev", "/dev", *sandbox_fs.mount_args()]
    for p in SYSTEM_RO:
        cmd += ["--ro-bind-try", p, p]
    for link in MERGED_USR_LINKS:
        if os.path.islink(link):
            cmd += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            cmd += ["--ro-bind", link, link]
    for python in _python_paths():
        cmd += ["--ro-bind", str(python), str(python)]
    cmd += ["--ro-bind", str(RUNNER_DIR), RUNNER_DIR_IN_SANDBOX]
    if shared_tex is not None:
        cmd += ["--ro-bind", str(shared_tex), SHARED_TEX_IN_SANDBOX]
    where = inside or str(job_dir)
    cmd += ["--bind", str(job_dir), where, "--chdir", where, *sandbox_fs.seal_args()]
    return cmd + ["--"] + argv


def rlimits(limits: Limits, group: Optional[cgroups.Group] = None) -> Callable[[], None]:
    """The rlimits (and the run's pids cgroup, when there is one), as a preexec function for Popen."""
    def apply() -> None:
        if group is not None:
            group.join()
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_group(limits: Limits, job_dir: Optional[Path] = None) -> cgroups.Group:
    """A run's cgroups: the process cap and its memory bound, inside its job's memory bound when the limits
    give one (the job is named by its folder)."""
    job = (cgroups.JobBound(str(Path(job_dir).resolve()), limits.job_memory_bytes)
           if job_dir is not None and limits.job_memory_bytes else None)
    return cgroups.Group.create(memory_bytes=limits.run_bound, job=job)


def _mib(setting: int) -> Optional[int]:
    return setting * MIB if setting > 0 else None  # 0: derived


def run_memory_bytes(settings: Optional[config.Settings], quality: str) -> int:
    """One run's memory bound at this quality: T2M_RUN_MEMORY_MB, else one process's address-space limit."""
    return Limits(memory_bytes=MEMORY_LIMIT.get(quality, MEMORY_LIMIT["l"]),
                  run_memory_bytes=_mib(settings.run_memory_mb) if settings is not None else None).run_bound


def job_memory_bytes(settings: config.Settings) -> int:
    """One job's memory bound: T2M_JOB_MEMORY_MB, else a run's bound at the job's quality for each render
    chunk and one more for validation (a warm job starts rendering while it validates)."""
    return _mib(settings.job_memory_mb) or run_memory_bytes(settings, settings.quality) * (max(1, settings.render_jobs) + 1)


def runner_command(job_dir: Path, runner_args: list[str], shared_tex: Optional[Path] = None) -> tuple[list[str], bool]:
    """The argv that runs the runner with these args; and whether bubblewrap isolates it."""
    bwrap = bwrap_path()
    python = str(Path(sys.executable))
    if shared_tex is not None and Path(shared_tex).is_dir():
        runner_args = [*runner_args, "--shared-tex", SHARED_TEX_IN_SANDBOX if bwrap else str(shared_tex)]
    else:
        shared_tex = None
    if bwrap:
        return bwrap_command(bwrap, job_dir, [python, "-I", RUNNER_IN_SANDBOX, *runner_args],
                             shared_tex=shared_tex), True
    warn_once()
    return [python, "-I", RUNNER_ON_HOST, *runner_args], False


def worker_command(slot: Path, shared_tex: Optional[Path]) -> tuple[list[str], bool]:
    """A warm worker (the runner's `serve` mode) behind the same walls as a cold run, its empty slot
    folder seen at SLOT_IN_SANDBOX; and whether bubblewrap isolates it (the pool needs it to)."""
    bwrap = bwrap_path()
    python = str(Path(sys.executable))
    if not bwrap:
        return [python, "-I", RUNNER_ON_HOST, "serve"], False
    return bwrap_command(bwrap, slot, [python, "-I", RUNNER_IN_SANDBOX, "serve"], inside=SLOT_IN_SANDBOX,
                         shared_tex=shared_tex), True


def tex_step_command(shared_tex: Path) -> tuple[list[str], bool]:
    """The trusted TeX step (the runner's `texbatch` mode): no scene code, and the shared formula
    cache as its only writable place; and whether bubblewrap isolates it."""
    bwrap = bwrap_path()
    python = str(Path(sys.executable))
    if not bwrap:
        return [python, "-I", RUNNER_ON_HOST, "texbatch", "--shared-tex", str(shared_tex)], False
    return bwrap_command(bwrap, shared_tex, [python, "-I", RUNNER_IN_SANDBOX, "texbatch", "--shared-tex",
                                             SHARED_TEX_IN_SANDBOX], inside=SHARED_TEX_IN_SANDBOX), True


def run_tool(job_dir: Path, argv: list[str], limits: Limits) -> subprocess.CompletedProcess:
    """A system tool (e.g. ffmpeg) over files the scene wrote, behind the same walls as the scene:
    a crafted video must not get to parse itself in the app's own process. Output as text, bounded."""
    bwrap = bwrap_path()
    if bwrap:
        argv = bwrap_command(bwrap, Path(job_dir), argv)
    else:
        warn_once()
    group = run_group(limits)
    try:
        proc = run_bounded(argv, limits, cwd=Path(job_dir), env=child_env("/tmp" if bwrap else str(job_dir)),
                           preexec=rlimits(limits, group))
    finally:
        group.close()
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(errors="replace"),
                                       proc.stderr.decode(errors="replace"))


KEPT_OUTPUT_BYTES = 4 * MIB  # of each stream of a tool run: its last bytes (answers and errors come last)


class _Tail:
    """The last `keep` bytes of a pipe, read in a thread; `total` counts all it carried."""

    def __init__(self, pipe, keep: int, on_read: Callable[[], None]):
        self.buf, self.keep, self.total, self.on_read = bytearray(), keep, 0, on_read
        self.thread = threading.Thread(target=self._read, args=(pipe,), name="t2m-tool-output", daemon=True)

    def _read(self, pipe) -> None:
        with pipe:
            for chunk in iter(lambda: pipe.read1(65536), b""):
                self.total += len(chunk)
                self.buf += chunk
                if len(self.buf) > self.keep:
                    del self.buf[:len(self.buf) - self.keep]
                self.on_read()


def run_bounded(argv: list[str], limits: Limits, *, cwd: Path, env: dict, preexec: Callable[[], None],
                input: Optional[bytes] = None) -> subprocess.CompletedProcess:
    """`subprocess.run` for a sandboxed tool whose output a run can shape (a crafted video's errors, a formula's
    TeX log): the last KEPT_OUTPUT_BYTES of each stream are kept, and past `limits.output_bytes` in all, or
    after the wall time, the whole process group is killed (returncode -9). Never raises TimeoutExpired."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(cwd), env=env,
                            start_new_session=True, preexec_fn=preexec)
    flooded = threading.Event()

    def check() -> None:
        if sum(t.total for t in tails) > limits.output_bytes and not flooded.is_set():
            flooded.set()
            _kill(proc)

    out = _Tail(proc.stdout, KEPT_OUTPUT_BYTES, check)
    err = _Tail(proc.stderr, KEPT_OUTPUT_BYTES, check)
    tails = (out, err)
    for tail in tails:  # started once both exist: each reader's check sums both
        tail.thread.start()
    if input is not None and proc.stdin is not None:
        try:
            with proc.stdin:
                proc.stdin.write(input)
        except (BrokenPipeError, OSError):
            pass
    try:
        proc.wait(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.wait()
    _kill(proc)  # anything it left running in its group
    for tail in tails:
        tail.thread.join(timeout=5)
    stderr = bytes(err.buf)
    if flooded.is_set():
        stderr += b"\n" + OUTPUT_LIMIT_MESSAGE.format(mib=limits.output_bytes // MIB).encode()
    return subprocess.CompletedProcess(argv, proc.returncode, bytes(out.buf), stderr)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run(job_dir: Path, runner_args: list[str], limits: Limits, *, log_file: Path,
        cancel=None, on_message: Callable[[dict], None] | None = None,
        shared_tex: Optional[Path] = None) -> RunResult:
    """Run the sandboxed runner; stream its messages to `on_message`; what else it prints (stdout and
    stderr) goes to `log_file`, head and tail only. `shared_tex`: the shared formula cache, read-only."""
    cmd, isolated = runner_command(Path(job_dir), runner_args, shared_tex)
    result = RunResult(returncode=None)
    start = time.monotonic()
    before = set(os.listdir(job_dir)) | {Path(log_file).name}
    group = run_group(limits, job_dir)
    # Opened once, before the run, without following links: other runs of the job (chunks) may plant a
    # link at this path at any moment, and every line the app adds later goes to this same file.
    run_log = sandbox_fs.RunLog(log_file)
    try:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    cwd=str(job_dir), env=child_env("/tmp" if isolated else str(job_dir)),
                                    start_new_session=True, preexec_fn=rlimits(limits, group))
            for msg in _messages(proc, limits, cancel, result, start, run_log, Path(job_dir)):
                result.keep(msg)
                if on_message:
                    on_message(msg)
            result.returncode = proc.wait()
        finally:
            group.close()  # also what left the process group (setsid) and still runs
        result.seconds = time.monotonic() - start
        removed = sandbox_fs.scrub(Path(job_dir))  # the app must find only files it can trust to open
        if result.over_limit:
            removed += sandbox_fs.remove_added(Path(job_dir), before)
        if removed:
            run_log.note(REMOVED_NOTE.format(names=sandbox_fs.printable_names(removed)))
    finally:
        run_log.close()
    result.killed_by = signal_name(result.returncode)
    result.out_of_memory = group.hit  # noted by `close`
    return result


def signal_name(returncode: Optional[int]) -> Optional[str]:
    """A signal death: negative from Popen, or 128+N when bwrap (the child's PID 1) passes it on."""
    num = (-returncode if returncode and returncode < 0
           else (returncode - 128 if returncode and 128 < returncode < 193 else 0))
    try:
        return signal.Signals(num).name if num else None
    except ValueError:
        return None


def _messages(proc, limits, cancel, result, start, run_log: sandbox_fs.RunLog, job_dir: Path) -> Iterator[dict]:
    """Read MARK lines until the child ends (other output goes to the log); kill its group on timeout,
    cancel, when the job folder outgrows its bounds, or when it prints more than its bound. Only
    messages are progress for the stall budget: printing is not."""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    sel.register(proc.stderr, selectors.EVENT_READ, "err")
    lines = Lines()
    clock = Deadline(limits, start)
    next_check = start + 0.5
    try:
        while sel.get_map():
            if cancel is not None and cancel.is_set():
                result.cancelled = True
                _kill(proc)
                break
            if clock.expired():
                result.timed_out = True
                _kill(proc)
                break
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + 0.5
                result.over_limit = sandbox_fs.over_limit(job_dir, limits.disk_bytes, limits.max_files)
                if result.over_limit:
                    _kill(proc)
                    break
            ready = sel.select(timeout=0.2)
            if not ready and proc.poll() is not None:
                break
            for key, _ in ready:
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                run_log.printed += len(chunk)
                if run_log.printed > limits.output_bytes:
                    result.output_flood = True
                    _kill(proc)
                    return
                if key.data == "err":
                    run_log.write(chunk)
                    continue
                for raw in lines.feed(chunk):
                    msg = message_of(raw)  # scenes can print these too: only the shape is trusted
                    if msg is None:
                        run_log.write(raw + b"\n")
                        continue
                    clock.progress()
                    run_log.printed += sandbox_fs.MESSAGE_BYTES
                    yield msg
    finally:
        run_log.write(lines.rest())
        sel.close()
        proc.stdout.close()
        proc.stderr.close()


class Deadline:
    """A run's wall clock: the hard limit, and the stall budget when the limits set one."""

    def __init__(self, limits: Limits, start: Optional[float] = None):
        self.limits = limits
        self.start = self.last = start if start is not None else time.monotonic()

    def progress(self) -> None:
        self.last = time.monotonic()

    def expired(self) -> bool:
        now = time.monotonic()
        stalled = self.limits.stall_seconds is not None and now - self.last > self.limits.stall_seconds
        return stalled or now - self.start > self.limits.wall_seconds


class _Either:
    """Set when either the caller cancels or the consumer stops listening."""

    def __init__(self, *events: Optional[threading.Event]):
        self.events = [e for e in events if e is not None]

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)


def stream(job_dir: Path, runs: list[list[str]], limits: Limits, log_files: list[Path],
           cancel: Optional[threading.Event] = None, shared_tex: Optional[Path] = None) -> Iterator[StreamItem]:
    """Run several sandboxed runners at once; yield (run index, message dict) as they speak and
    (run index, RunResult) when each ends. Closing the generator kills whatever still runs."""
    q: queue.Queue = queue.Queue()
    stop = threading.Event()
    either = _Either(cancel, stop)

    def work(i: int, args: list[str]) -> None:
        try:
            res = run(job_dir, args, limits, log_file=log_files[i], cancel=either,
                      on_message=lambda m: q.put((i, m)), shared_tex=shared_tex)
        except OSError as exc:  # e.g. the interpreter vanished; report, never raise into the app
            res = RunResult(returncode=-1, messages=[{"event": "error", "type": type(exc).__name__,
                                                      "message": f"could not start the renderer: {exc}"}])
        q.put((i, res))

    threads = [threading.Thread(target=work, args=(i, a), daemon=True) for i, a in enumerate(runs)]
    for t in threads:
        t.start()
    try:
        remaining = len(runs)
        while remaining:
            i, item = q.get()
            if isinstance(item, RunResult):
                remaining -= 1
            yield i, item
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=10)


def _tail(path: Path, n: int = 6, max_bytes: int = 64 * 1024) -> str:
    """The last lines of a log, reading its end only (a scene can make its log gigabytes long), never
    through a link."""
    text = sandbox_fs.read_tail(path, max_bytes).decode("utf-8", "replace")
    lines = [ln[-500:] for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines[-n:])


# The kinds errors_of gives a run stopped by the user or at a bound, not by the scene's own exception.
LIMIT_KINDS = ("Cancelled", "OutputLimit", "DiskLimit", "MemoryLimit", "Timeout", "CPULimit", "FileSizeLimit")


def errors_of(result: RunResult, stage: str, limits: Limits, log_file: Path) -> list[CodeError]:
    """What went wrong in a run, in words a person (or a repair round) can act on; [] if nothing."""
    reported = [m for m in result.messages if m.get("event") == "error"]
    if result.cancelled:
        return [CodeError(stage, "cancelled by the user", kind="Cancelled")]
    if result.output_flood:
        return [CodeError(stage, OUTPUT_LIMIT_MESSAGE.format(mib=limits.output_bytes // MIB), kind="OutputLimit")]
    if result.over_limit:
        return [CodeError(stage, f"the scene wrote too much and was stopped: {result.over_limit} (at most "
                                 f"{limits.disk_bytes // MIB} MiB and {limits.max_files} files); what it wrote was deleted, "
                                 f"your code and the log are kept", kind="DiskLimit")]
    if result.out_of_memory:
        hit = result.out_of_memory
        text = (MEMORY_BOUND_HIT.format(mib=hit.limit_bytes // MIB, scope=hit.scope, setting=MEMORY_SETTING[hit.scope])
                if hit.scope in MEMORY_SETTING else MEMORY_SHORT_AROUND.format(mib=hit.limit_bytes // MIB))
        return [CodeError(stage, text, kind="MemoryLimit")]
    if result.timed_out and limits.stall_seconds is not None and result.seconds < limits.wall_seconds:
        return [CodeError(stage, f"the scene made no progress for {limits.stall_seconds:.0f} s (no animation "
                                 f"started or ended) and was stopped: an endless loop, or one step doing far "
                                 f"too much work", kind="Timeout")]
    if result.timed_out:
        return [CodeError(stage, f"the scene ran longer than {limits.wall_seconds:.0f} s and was stopped: an "
                                 f"endless loop, or too much work for one render (T2M_RENDER_TIMEOUT raises "
                                 f"the limit)", kind="Timeout")]
    if reported:
        return [CodeError(m.get("stage") or stage, m.get("message", "error"), m.get("line"), m.get("type", ""),
                          m.get("source_line", "")) for m in reported]
    if result.killed_by == "SIGXCPU":
        return [CodeError(stage, f"the scene used more than {limits.cpu_seconds} s of CPU time and was stopped",
                          kind="CPULimit")]
    if result.killed_by == "SIGXFSZ":
        return [CodeError(stage, f"the scene tried to write a file larger than {limits.file_bytes // MIB} MiB",
                          kind="FileSizeLimit")]
    if result.returncode:
        how = f"signal {result.killed_by}" if result.killed_by else f"exit code {result.returncode}"
        hint = (" It most likely ran out of memory (limit "
                f"{limits.memory_bytes // MIB} MiB)." if result.killed_by in ("SIGKILL", "SIGSEGV", "SIGABRT") else "")
        where, line = _reached(result, log_file)
        return [CodeError(stage, f"the render process died ({how}) {where}.{hint} Last log lines:\n{_tail(log_file)}",
                          line, kind="Crashed")]
    return []


# faulthandler's dump of the crashed thread (most recent call first): the scene file's first frame in it
CRASH_FRAME = re.compile(r'File "[^"]*/scene\.py", line (\d+)')


def _reached(result: RunResult, log_file: Path) -> tuple[str, Optional[int]]:
    """What a run that died without a Python error was doing: the animation it had started (and the line
    that played it), and the scene line on the stack when it crashed, if the interpreter could dump it."""
    plays = [m for m in result.messages if m.get("event") == "play" and isinstance(m.get("index"), int)]
    played = plays[-1] if plays else None
    play_line = played.get("line") if played and isinstance(played.get("line"), int) else None
    tail = sandbox_fs.read_tail(log_file, 64 * 1024).decode("utf-8", "replace")
    dump = tail[tail.rfind("Fatal Python error"):] if "Fatal Python error" in tail else ""
    crash = CRASH_FRAME.search(dump)
    crash_line = int(crash.group(1)) if crash else None
    ended = played is not None and any(m.get("event") == "played" and m.get("index") == played["index"]
                                       for m in result.messages)
    where = (f"{'after' if ended else 'during'} animation {played['index'] + 1}"
             + (f" (played from line {play_line})" if play_line else "") if played else "before its first animation")
    if crash_line:
        where += f", running line {crash_line} of the scene"
    return where, crash_line or play_line
