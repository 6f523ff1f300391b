"""Warm workers: sandboxed processes that have already imported Manim, one per job, then discarded.

Starting Python and importing Manim costs about as much as rendering a short scene, and every job paid it
for each run (validate, then render). A worker is the runner in `serve` mode behind the same
bubblewrap walls and rlimits as a cold run (`sandbox.worker_command`), waiting in an empty slot folder
that it sees as /job. When a job takes it, the job's inputs are copied into the slot; each run of the job
(validate, chunks, concat) is a child forked from the worker with the run's own lower limits; outputs are
read back from the slot, trusting only paths inside it; when the job ends the worker and its slot are
destroyed. Jobs never share a worker, so they are as isolated from each other as with a fresh process per
run, and host paths never show inside the sandbox.

The pool keeps `size` workers alive (T2M_RENDER_CONCURRENCY), leased or ready, and starts new ones in the
background as jobs end or workers die. Without bubblewrap, or when every worker is taken, a job runs cold
(`ColdRuns`: `sandbox.stream`, a fresh process per run), exactly as before.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import secrets
import shutil
import signal
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from text_to_manim import config
from text_to_manim.sandbox import cgroups, shared_tex
from text_to_manim.sandbox import fs as sandbox_fs
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.sandbox.runner.protocol import LINE_LIMIT, Lines, message_of

log = logging.getLogger(__name__)

# The worker itself only imports and forwards output; each run lowers these in its own child.
MEMORY_LIMIT_IDLE = sandbox.MEMORY_LIMIT["l"]  # a worker waiting for a job: Manim imported, nothing run yet
WORKER_LIMITS = sandbox.Limits(wall_seconds=float("inf"), cpu_seconds=3600,
                               memory_bytes=max(sandbox.MEMORY_LIMIT.values()))
TAKE_WAIT_SECONDS = 30.0  # a starting worker is still sooner than a cold process
KILL_GRACE_SECONDS = 5.0
ORDER_WAIT_SECONDS = 5.0
DISK_CHECK_SECONDS = 0.5
MAX_FAILED_STARTS = 3  # workers that die before they are ready: the pool gives up, jobs run cold
# The worker re-encodes a run's protocol line as JSON (at most about 3 times as long) and sends log text in
# pieces: a longer line from it is cut, never held whole.
WORKER_LINE_LIMIT = 4 * LINE_LIMIT
NOT_ISOLATED_WARNING = ("a warm worker cannot give its runs a user namespace of their own (so a run could reach "
                        "the worker's pipes through /proc): the pool is not used, jobs run cold")


def resolve_inside(root: Path, reported: str, alias: Optional[str] = None) -> Optional[Path]:
    """A file a run reported, if it really lies inside `root` (scene code can print any path). `alias` is
    how the sandbox names `root` (a worker's /job)."""
    if not isinstance(reported, str) or not reported:
        return None
    p = Path(reported)
    if p.is_absolute() and alias:
        try:
            p = Path(root) / p.relative_to(alias)
        except ValueError:
            pass
    p = (Path(root) / p).resolve()
    return p if p.is_relative_to(Path(root).resolve()) and p.is_file() else None


class ColdRuns:
    """The cold path: a fresh sandboxed process per run, working in the job folder itself."""

    warm = False

    def __init__(self, job_dir: Path, shared_tex: Optional[Path] = None):
        self.dir = Path(job_dir)
        self.shared_tex = shared_tex

    def sync_in(self, files: list[Path]) -> None:
        """The runs see the job folder itself: nothing to copy."""

    def stream(self, runs: list[list[str]], limits: sandbox.Limits, log_files: list[Path],
               cancel: Optional[threading.Event] = None, started: tuple = ()) -> Iterator[sandbox.StreamItem]:
        """`started` is always empty here: only a warm worker starts a run ahead of its stream."""
        return sandbox.stream(self.dir, runs, limits, log_files, cancel, shared_tex=self.shared_tex)

    stream_chunks = stream

    def start(self, args: list[str], limits: sandbox.Limits, log_file: Path) -> Optional[WarmRun]:
        """A cold run cannot begin ahead of its stream."""
        return None

    def resolve(self, reported: str) -> Optional[Path]:
        return resolve_inside(self.dir, reported)


@dataclass
class _Run:
    index: int
    log: sandbox_fs.RunLog
    clock: sandbox.Deadline
    result: sandbox.RunResult = field(default_factory=lambda: sandbox.RunResult(returncode=None))
    kill_sent: float = 0.0
    printed: int = 0  # bytes of output so far (log text and messages), against Limits.output_bytes


class _Route(queue.Queue):
    """A started run's messages until a stream takes them over; notes the run's answer to an order."""

    def __init__(self):
        super().__init__()
        self.answer: Optional[int] = None  # the last animation it will render, once it said so
        self.answered = threading.Event()  # ... or it ended

    def put(self, item, block=True, timeout=None):
        if item.get("event") == "upto" and isinstance(item.get("index"), int):
            self.answer = item["index"]
            self.answered.set()
        elif item.get("event") == "exit":
            self.answered.set()
        super().put(item, block, timeout)


@dataclass
class WarmRun:
    """A run started ahead of the stream that takes it over (a render started while validation runs)."""

    worker: Worker
    id: int
    route: _Route
    state: _Run

    def stop_after(self, animation: int, wait: float = ORDER_WAIT_SECONDS) -> Optional[int]:
        """End the run after this animation (or the one it is playing, if later), as --upto-anim would;
        returns the last animation it will render, or None if it did not answer (ended, or mute)."""
        self.worker._send({"op": "input", "id": self.id, "order": {"upto": int(animation)}})
        self.route.answered.wait(wait)
        return self.route.answer

    def kill(self) -> None:
        self.worker._send({"op": "kill", "id": self.id})
        self.state.log.close()
        with self.worker._lock:
            self.worker._routes.pop(self.id, None)
            self.worker._states.pop(self.id, None)


class Worker:
    """One warm sandboxed process and its slot; serves the runs of exactly one job."""

    warm = True

    def __init__(self, slot: Path, shared_tex: Optional[Path], on_exit: Callable[[Worker], None]):
        self.slot = slot
        self.shared_tex = shared_tex
        self.ready = threading.Event()
        self.exited = threading.Event()
        self._on_exit = on_exit
        self._routes: dict[int, queue.Queue] = {}
        self._states: dict[int, _Run] = {}  # each run's log and result, kept by the reader as output comes
        self._lock = threading.Lock()
        self._next_id = 0
        cmd, self.isolated = sandbox.worker_command(slot, shared_tex)
        self.alias = sandbox.SLOT_IN_SANDBOX if self.isolated else None
        # The worker and every run it forks share one group: the job's process cap and memory bound (the
        # job that takes the worker sets that bound: `lease`); until then, one run's default bound.
        self.group = cgroups.Group.create(memory_bytes=MEMORY_LIMIT_IDLE, scope="job")
        with open(slot.with_suffix(".log"), "ab") as err:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
                                         cwd=str(slot), env=sandbox.child_env("/tmp"), start_new_session=True,
                                         preexec_fn=sandbox.rlimits(WORKER_LIMITS, self.group))
        threading.Thread(target=self._read, name=f"worker-{slot.name}", daemon=True).start()

    @property
    def dir(self) -> Path:
        return self.slot

    def alive(self) -> bool:
        return not self.exited.is_set()

    # -- the worker's output -------------------------------------------------------------------------
    def _read(self) -> None:
        assert self.proc.stdout is not None  # opened with stdout=PIPE
        lines = Lines(WORKER_LINE_LIMIT)
        while chunk := os.read(self.proc.stdout.fileno(), 65536):
            for raw in lines.feed(chunk):
                msg = message_of(raw)
                if msg is not None:
                    self._dispatch(msg, len(raw))
        self.proc.stdout.close()
        status = self.proc.wait()
        self.exited.set()
        with self._lock:
            routes = list(self._routes.items())
        for rid, route in routes:  # the runs died with the worker
            route.put({"run": rid, "event": "exit", "status": status})
        self._on_exit(self)

    def _dispatch(self, msg: dict, size: int) -> None:
        """One message of the worker: a run's log text goes to its log here (a run started ahead of its
        stream must not pile it up in memory); the rest to the run's route. What a run prints counts
        against its output bound."""
        if msg.get("event") == "ready" and "run" not in msg:
            if msg.get("runs_isolated"):
                self.ready.set()
            else:
                log.warning(NOT_ISOLATED_WARNING)
                self.kill()
            return
        rid = msg.get("run", -1)  # -1: no run has it
        with self._lock:  # under the lock: a stream may be adopting the run's route
            state, route = self._states.get(rid), self._routes.get(rid)
        if state is not None and msg.get("event") != "exit":
            state.printed += max(size, sandbox_fs.MESSAGE_BYTES)
            if state.printed > state.clock.limits.output_bytes and not state.result.output_flood:
                state.result.output_flood = True
                state.kill_sent = time.monotonic()
                self._send({"op": "kill", "id": rid})
            if msg.get("event") == "log":
                state.log.write(str(msg.get("text", "")).encode("utf-8", "replace"))
                return
        if route is not None:
            route.put(msg)

    # -- commands ------------------------------------------------------------------------------------
    def _send(self, cmd: dict) -> bool:
        try:
            with self._lock:
                assert self.proc.stdin is not None  # opened with stdin=PIPE
                self.proc.stdin.write((json.dumps(cmd) + "\n").encode())
                self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    def start(self, args: list[str], limits: sandbox.Limits, log_file: Path) -> WarmRun:
        """Start a run now; a later `stream(..., started=[run])` takes it over with what it said since."""
        route = _Route()
        state = _Run(0, sandbox_fs.RunLog(log_file), sandbox.Deadline(limits))
        return WarmRun(self, self._start(list(args), limits, route, state), route, state)

    def _start(self, args: list[str], limits: sandbox.Limits, route: queue.Queue, state: _Run) -> int:
        with self._lock:
            rid = self._next_id
            self._next_id += 1
            self._routes[rid] = route
            self._states[rid] = state
        if self.shared_tex is not None and args and args[0] in ("validate", "render"):
            args = [*args, "--shared-tex", sandbox.SHARED_TEX_IN_SANDBOX if self.isolated else str(self.shared_tex)]
        limits_msg = {"memory": limits.memory_bytes, "cpu": limits.cpu_seconds, "file": limits.file_bytes}
        if not self._send({"op": "run", "id": rid, "args": args, "limits": limits_msg}):
            route.put({"run": rid, "event": "exit", "status": -signal.SIGKILL})
        return rid

    def kill(self) -> None:
        """Kill the worker and every run of it (bubblewrap takes the whole sandbox down)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def close(self) -> None:
        """Discard the worker after its job: kill it, wait for it, delete its slot."""
        self.kill()
        try:
            self.proc.wait(timeout=KILL_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        self.group.close()
        shutil.rmtree(self.slot, ignore_errors=True)
        self.slot.with_suffix(".log").unlink(missing_ok=True)

    # -- what a job does with it ---------------------------------------------------------------------
    def sync_in(self, files: list[Path]) -> None:
        """Copy the job's inputs (its code, the images it ships) into the slot; regular files only."""
        for f in files:
            try:
                if stat.S_ISREG(os.lstat(f).st_mode):  # the slot may hold a link a running scene planted
                    sandbox_fs.copy(f, self.slot / Path(f).name)
            except FileNotFoundError:
                continue

    def resolve(self, reported: str) -> Optional[Path]:
        return resolve_inside(self.slot, reported, self.alias)

    def stream(self, runs: list[list[str]], limits: sandbox.Limits, log_files: list[Path],
               cancel: Optional[threading.Event] = None, started: tuple = ()) -> Iterator[sandbox.StreamItem]:
        """Like `sandbox.stream`: (run index, message) as the runs speak, (run index, RunResult) as each
        ends. `started` runs come first (indices 0..), then `runs`. Closing the generator kills what
        still runs."""
        route: queue.Queue = queue.Queue()
        active: dict[int, _Run] = {}
        next_check = time.monotonic() + DISK_CHECK_SECONDS
        for i, run in enumerate(started):
            with self._lock:
                while not run.route.empty():
                    route.put(run.route.get())
                self._routes[run.id] = route
            run.state.index = i
            active[run.id] = run.state
        for i, args in enumerate(runs, start=len(started)):
            state = _Run(i, sandbox_fs.RunLog(log_files[i - len(started)]), sandbox.Deadline(limits))
            active[self._start(list(args), limits, route, state)] = state
        try:
            while active:
                try:
                    msg = route.get(timeout=0.2)
                except queue.Empty:
                    msg = None
                self._police(active, cancel)
                if time.monotonic() >= next_check:
                    next_check = time.monotonic() + DISK_CHECK_SECONDS
                    self._bound_disk(active, limits)
                if msg is None or msg.get("run") not in active:
                    continue
                state = active[msg["run"]]
                if msg.get("event") == "exit":
                    del active[msg["run"]]
                    result = self._finish(state, msg.get("status"))
                    result.out_of_memory = self.group.memory_hit()  # the job's bound ended the worker and its runs
                    yield state.index, result
                else:
                    state.clock.progress()  # a message, not printing (log text never comes here)
                    msg = {k: v for k, v in msg.items() if k != "run"}
                    state.result.keep(msg)
                    yield state.index, msg
        finally:
            removed = sandbox_fs.scrub(self.slot)  # as after a cold run: only regular files and folders stay
            if removed and log_files:
                with sandbox_fs.open_append(log_files[0]) as fh:
                    fh.write(sandbox.REMOVED_NOTE.format(names=sandbox_fs.printable_names(removed)).encode() + b"\n")
            for rid in active:
                self._send({"op": "kill", "id": rid})
            for state in active.values():
                state.log.close()
            with self._lock:
                for rid in list(self._routes):
                    if self._routes[rid] is route:
                        del self._routes[rid]
                        self._states.pop(rid, None)

    stream_chunks = stream  # a warm job's chunks are its worker's children

    def _police(self, active: dict[int, _Run], cancel) -> None:
        """Wall clock, stall budget and cancel, as the cold path enforces them."""
        if cancel is not None and cancel.is_set():
            for state in active.values():
                state.result.cancelled = True
            self.kill()
            return
        now = time.monotonic()
        for rid, state in active.items():
            if not state.kill_sent and state.clock.expired():
                state.result.timed_out = True
                state.kill_sent = now
                self._send({"op": "kill", "id": rid})
            elif state.kill_sent and now - state.kill_sent > KILL_GRACE_SECONDS:
                self.kill()  # the worker does not answer: the job is over anyway

    def _bound_disk(self, active: dict[int, _Run], limits: sandbox.Limits) -> None:
        """The slot holds everything the job's runs write: the job-folder bounds apply to it."""
        over = sandbox_fs.over_limit(self.slot, limits.disk_bytes, limits.max_files)
        if over:
            for state in active.values():
                state.result.over_limit = over
            self.kill()

    def _finish(self, state: _Run, status) -> sandbox.RunResult:
        state.log.close()
        with self._lock:
            self._states = {rid: s for rid, s in self._states.items() if s is not state}
        res = state.result
        res.returncode = int(status) if status is not None else -1
        res.seconds = time.monotonic() - state.clock.start
        res.killed_by = sandbox.signal_name(res.returncode)
        return res


class _Launcher:
    """Starts every worker process from one thread that never ends. bubblewrap's --die-with-parent kills a
    sandbox when the *thread* that started it ends, and job threads (and pools, with their threads) come
    and go while the workers they started still serve jobs."""

    def __init__(self):
        self.calls: queue.Queue = queue.Queue()
        threading.Thread(target=self._run, name="worker-launcher", daemon=True).start()

    def _run(self) -> None:
        while True:
            fn, box, done = self.calls.get()
            try:
                box["value"] = fn()
            except BaseException as exc:  # handed back to the caller
                box["error"] = exc
            finally:
                done.set()

    def __call__(self, fn):
        box, done = {}, threading.Event()
        self.calls.put((fn, box, done))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box["value"]


_launch = _Launcher()


class Pool:
    """`size` warm workers, leased or ready; refilled in the background."""

    def __init__(self, size: int, shared_tex: Optional[Path], slot_root: Path):
        self.size = max(1, int(size))
        self.shared_tex = shared_tex
        self.slot_root = Path(slot_root)
        self.slot_root.mkdir(parents=True, exist_ok=True)
        _remove_stale_slots(self.slot_root)
        cgroups.remove_stale()
        self.cond = threading.Condition()
        self.idle: list[Worker] = []
        self.starting: list[Worker] = []
        self.leased = 0
        self.failed_starts = 0
        self.closed = False
        threading.Thread(target=self._spawner, name="worker-spawner", daemon=True).start()

    @property
    def key(self) -> tuple:
        return self.size, self.shared_tex, self.slot_root

    def _missing(self) -> int:
        """Workers to start for `size` to be alive (with the lock held)."""
        if self.closed or self.failed_starts >= MAX_FAILED_STARTS:
            return 0
        return max(0, self.size - len(self.idle) - len(self.starting) - self.leased)

    def _fill(self) -> None:
        """Have the spawner start what is missing (with the lock held)."""
        if self._missing():
            self.cond.notify_all()

    def _spawner(self) -> None:
        """Starts what is missing, for as long as the pool is open (the processes themselves are started
        by the launcher thread, which outlives every pool: see _Launcher)."""
        with self.cond:
            while not self.closed:
                if not self._missing():
                    self.cond.wait()
                    continue
                slot = self.slot_root / f"{os.getpid()}-{secrets.token_hex(4)}"
                slot.mkdir(mode=0o700)
                try:
                    worker = _launch(lambda: Worker(slot, self.shared_tex, self._exited))
                except OSError as exc:
                    log.warning("could not start a warm worker: %s", exc)
                    shutil.rmtree(slot, ignore_errors=True)
                    self.failed_starts += 1
                    continue
                self.starting.append(worker)
                threading.Thread(target=self._await_ready, args=(worker,), daemon=True).start()

    def _await_ready(self, worker: Worker) -> None:
        while not worker.ready.wait(0.5):
            if worker.exited.is_set():
                break
        with self.cond:
            if worker not in self.starting:  # the pool was closed meanwhile
                return
            self.starting.remove(worker)
            started = worker.alive() and not self.closed
            if started:
                self.idle.append(worker)
                self.failed_starts = 0
            else:
                self.failed_starts += 1
                log.warning("a warm worker died while starting; its log: %s", worker.slot.with_suffix(".log"))
                self._fill()
            self.cond.notify_all()
        if not started:
            worker.close()

    def _exited(self, worker: Worker) -> None:
        """A ready worker that died (crashed, killed) is replaced; a starting one is `_await_ready`'s, a
        leased one is replaced when its job releases it."""
        with self.cond:
            if worker not in self.idle:
                return
            self.idle.remove(worker)
            self._fill()
        worker.close()

    def take(self, wait: float = TAKE_WAIT_SECONDS) -> Optional[Worker]:
        """A ready worker, waiting for a starting one if need be; None when every worker is taken."""
        deadline = time.monotonic() + wait
        with self.cond:
            while not self.closed:
                if self.idle:
                    self.leased += 1
                    return self.idle.pop(0)
                left = deadline - time.monotonic()
                if not (self.starting or self._missing()) or left <= 0:
                    return None
                self.cond.wait(left)
        return None

    def release(self, worker: Worker) -> None:
        """The job is over: destroy its worker and start a fresh one in its place."""
        worker.close()
        with self.cond:
            self.leased -= 1
            self._fill()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()
            workers = self.idle + self.starting
            self.idle, self.starting = [], []
        for w in workers:
            w.close()

    def resident_bytes(self) -> list[int]:
        """Resident memory of each ready worker (its whole sandbox: bwrap and the Python inside)."""
        with self.cond:
            pids = [w.proc.pid for w in self.idle]
        return [_tree_rss(pid) for pid in pids]


def _tree_rss(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next((int(ln.split()[1]) * 1024 for ln in fh if ln.startswith("VmRSS:")), 0)
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def _remove_stale_slots(root: Path) -> None:
    """Slots left by a process that died without cleaning up (named <pid>-<token>)."""
    for slot in root.iterdir():
        pid = slot.name.split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            if slot.is_dir():
                shutil.rmtree(slot, ignore_errors=True)
            else:
                slot.unlink(missing_ok=True)


_pool: Optional[Pool] = None  # one pool per process, like a connection pool
_pool_lock = threading.Lock()


def pool_for(settings: config.Settings) -> Optional[Pool]:
    """The process's pool for these settings (started on first use); None without bubblewrap."""
    global _pool
    if sandbox.bwrap_path() is None:
        return None
    key = (max(1, int(settings.render_concurrency)), shared_tex.shared_dir(settings), settings.media_dir / "slots")
    with _pool_lock:
        if _pool is None or _pool.key != key:
            if _pool is not None:
                _pool.close()
                _pool = None
            try:
                shared_tex.ensure_dir(settings)
                _pool = Pool(*key)
            except OSError as exc:  # e.g. media/ not writable: jobs run cold, and say why in the log
                log.warning("no warm workers: %s", exc)
        return _pool


def prestart(settings: config.Settings) -> None:
    """Start the pool now, so its workers import Manim while the job does other things."""
    pool_for(settings)


@contextmanager
def lease(settings: config.Settings) -> Iterator[Optional[Worker]]:
    """A warm worker for one job (None: run cold); destroyed when the job's runs are done. With a Ray
    cluster (T2M_RAY_ADDRESS) the job runs cold: its chunks go to the cluster from the job folder."""
    pool = pool_for(settings) if not settings.ray_address else None
    worker = pool.take() if pool is not None else None
    if worker is not None:
        worker.group.limit_memory(sandbox.job_memory_bytes(settings))
    try:
        yield worker
    finally:
        if worker is not None and pool is not None:
            pool.release(worker)


def cold_runs(job_dir: Path, settings: config.Settings) -> ColdRuns:
    """A job's cold runs, seeing the shared formula cache (see `sandbox/targets.py` for the choice)."""
    return ColdRuns(job_dir, shared_tex.shared_dir(settings))


@atexit.register
def _shutdown() -> None:
    if _pool is not None:
        _pool.close()
