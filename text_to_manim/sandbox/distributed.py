"""Render chunks on a Ray cluster (T2M_RAY_ADDRESS), each still inside the bubblewrap sandbox on its worker.

The seam: the Ray run target (sandbox/targets.py) asks `chunk_stream(settings)` for a function with the signature of
`sandbox.stream(job_dir, runs, limits, log_files, cancel)` (yielding `(run index, message)` as the runners
speak and `(run index, RunResult)` as each ends). None means "run locally as usual". With an address set,
every run of a render (the chunks of a long scene, or a whole job's single render) becomes one Ray task:

- no shared filesystem is assumed: the job's inputs (its top-level files such as scene.py and shipped
  images, and the TeX/text cache folder each run names with --cache) are packed on the app's machine,
  never following a link out of the job folder, and sent with the task;
- on the worker, the task unpacks them into a fresh job folder of the same name and runs
  `sandbox.run` there (the cold path: bubblewrap, rlimits, scrubbed environment, timeout), relaying the
  runner's messages back as they come (a Ray streaming generator), so progress is live;
- files the runner reports (the chunk's video) come back as bytes, only from inside that folder, and are
  written at the same place in the job folder here; the worker's log is appended to the run's log.

Joining the chunks (concat) then runs locally, as before. When the cluster cannot be reached, the render
runs locally and the app's log says so (the app stays usable). `ray` is an optional dependency
(requirements-ray.txt); it is imported only when an address is set.
"""
from __future__ import annotations

import logging
import os
import queue
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Optional

from text_to_manim.config import Settings
from text_to_manim.sandbox import fs as sandbox_fs
from text_to_manim.sandbox import walls as sandbox

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole text_to_manim package, shipped to Ray workers
SKIP_SUFFIXES = {".mp4", ".webm", ".gif", ".mov", ".log", ".pdf"}  # outputs: no scene reads them
MAX_INPUT_FILE = 64 * 1024 * 1024
RECONNECT_AFTER = 60.0  # seconds before trying an unreachable cluster again
PATH_EVENTS = ("video", "preview")  # runner messages that name a file to bring back


@dataclass
class _Connection:
    """This process's link to the cluster (one per process, like a connection pool)."""

    address: Optional[str] = None
    failed_at: float = 0.0
    remote: Any = None  # the remote chunk function (a Ray RemoteFunction)


_state = _Connection()
_connect_lock = threading.Lock()


def chunk_stream(settings: Settings) -> Optional[Callable[..., Iterator[sandbox.StreamItem]]]:
    """The Ray executor when `settings.ray_address` is set and reachable; None = render locally."""
    address = (settings.ray_address or "").strip()
    if not address:
        return None
    remote = _connect(address)
    if remote is None:
        return None
    return lambda job_dir, runs, limits, log_files, cancel=None: stream(
        remote, address, Path(job_dir), runs, limits, log_files, cancel)


def _connect(address: str):
    """Connect this process to the cluster once; the remote chunk function, or None (logged) when it fails."""
    with _connect_lock:
        if _state.address == address and _state.remote is not None:
            return _state.remote
        if _state.address == address and time.monotonic() - _state.failed_at < RECONNECT_AFTER:
            return None
        _state.address = address
        try:
            _reachable(address)
            import ray

            if not ray.is_initialized():
                ray.init(address=address, namespace="text_to_manim", log_to_driver=False,
                         runtime_env={"py_modules": [str(PACKAGE_DIR)]})
            _state.remote = ray.remote(num_cpus=1, max_retries=0, num_returns="streaming")(run_chunk)
            return _state.remote
        except Exception as exc:  # no ray installed, or no cluster there: render here, say so
            _state.failed_at = time.monotonic()
            _state.remote = None
            log.warning("Ray cluster at %s unavailable (%s: %s); rendering locally", address,
                        type(exc).__name__, exc)
            return None


def _reachable(address: str, timeout: float = 3.0) -> None:
    """Fail fast when nothing listens at the cluster's address (ray.init itself waits for minutes)."""
    host, _, port = address.split("://")[-1].rpartition(":")
    with socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=timeout):
        pass


# --- on the app's machine -------------------------------------------------------------------------------
def pack_inputs(job_dir: Path, runs: list[list[str]]) -> dict[str, bytes]:
    """relative path -> bytes of what the runs read: the job's top-level files and each run's --cache
    folder. Links are skipped (the folder was written by untrusted code: a link could point at a secret)."""
    job_dir = job_dir.resolve()
    files: dict[str, bytes] = {}

    def add(p: Path) -> None:
        if p.is_symlink() or not p.is_file() or p.suffix.lower() in SKIP_SUFFIXES:
            return
        real = p.resolve()
        if real.is_relative_to(job_dir) and real.stat().st_size <= MAX_INPUT_FILE:
            files[real.relative_to(job_dir).as_posix()] = real.read_bytes()

    for p in job_dir.iterdir():
        add(p)
    for args in runs:
        if "--cache" in args:
            cache = job_dir / args[args.index("--cache") + 1]  # runner paths are relative to the job folder
            if cache.is_dir() and not cache.is_symlink() and cache.resolve().is_relative_to(job_dir):
                for root, dirs, names in os.walk(cache):  # os.walk does not follow links to folders
                    for n in names:
                        add(Path(root) / n)
    return files


def _write_back(job_dir: Path, rel: str, data: bytes) -> Optional[Path]:
    dst = (job_dir / rel).resolve()
    if not dst.is_relative_to(job_dir.resolve()) or Path(rel).is_absolute():
        return None
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(data)
    return dst


def stream(remote, address: str, job_dir: Path, runs: list[list[str]], limits: sandbox.Limits,
           log_files: list[Path], cancel: Optional[threading.Event] = None) -> Iterator[sandbox.StreamItem]:
    """`sandbox.stream`, with each run a task on the cluster."""
    import ray

    pack = ray.put(pack_inputs(job_dir, runs))
    gens = [remote.remote(pack, str(job_dir.resolve()), args, asdict(limits)) for args in runs]
    q: queue.Queue = queue.Queue()

    def consume(i: int, gen) -> None:
        try:
            for ref in gen:
                q.put((i, ray.get(ref)))
        except Exception as exc:  # the task failed or was cancelled: one clear RunResult for this run
            q.put((i, {"result": {"returncode": -1, "messages": [{"event": "error", "type": type(exc).__name__,
                                                                  "message": f"the Ray task failed: {exc}"}]},
                       "files": [], "log": b""}))

    threads = [threading.Thread(target=consume, args=(i, g), daemon=True) for i, g in enumerate(gens)]
    for t in threads:
        t.start()
    remaining, cancelled = len(runs), False
    try:
        while remaining:
            if cancel is not None and cancel.is_set() and not cancelled:
                cancelled = True
                for g in gens:
                    ray.cancel(g, force=True)  # the worker process goes; bwrap dies with its parent
            try:
                i, item = q.get(timeout=0.2)
            except queue.Empty:
                continue
            if "message" in item:
                yield i, item["message"]
                continue
            remaining -= 1
            yield from _finish(job_dir, i, item, log_files[i], address, cancelled)
    finally:
        if remaining:
            for g in gens:
                ray.cancel(g, force=True)


def _finish(job_dir: Path, i: int, item: dict, log_file: Path, address: str, cancelled: bool):
    """A run's last item: write its files here, relay their messages, append its log, end with RunResult."""
    log = sandbox_fs.RunLog(log_file)  # the job folder is the scene's too: no following a link planted there
    try:
        where = sandbox_fs.printable(str(item.get("where", "a worker")))
        log.note(f"-- rendered on the Ray cluster at {address}: {where} --")
        log.write(item.get("log") or b"")
    finally:
        log.close()
    res = dict(item["result"])
    for msg, rel, data in item.get("files") or []:
        written = _write_back(job_dir, rel, data)
        if written is not None:
            msg = dict(msg, path=str(written))
            res.setdefault("messages", []).append(msg)
            yield i, msg
    result = sandbox.RunResult(returncode=res.get("returncode"), messages=res.get("messages") or [],
                               timed_out=bool(res.get("timed_out")), cancelled=bool(res.get("cancelled")) or cancelled,
                               seconds=float(res.get("seconds") or 0.0), killed_by=res.get("killed_by"))
    yield i, result


# --- on a Ray worker ------------------------------------------------------------------------------------
def run_chunk(pack: dict, driver_dir: str, args: list[str], limits: dict):
    """One sandboxed run in a fresh copy of the job folder on this worker: yields {"message": m} as the
    runner speaks, then {"result", "files", "log", "where"}. Paths are mapped between the two folders."""
    base = Path(tempfile.mkdtemp(prefix="t2m-ray-"))
    work = base / Path(driver_dir).name
    try:
        work.mkdir()
        for rel, data in pack.items():
            _write_back(work, rel, data)
        local_args = [a.replace(driver_dir, str(work)) for a in args]
        log_file = base / "chunk.log"
        q: queue.Queue = queue.Queue()
        stop = threading.Event()
        box: dict = {}

        def run() -> None:
            try:
                box["result"] = sandbox.run(work, local_args, sandbox.Limits(**limits), log_file=log_file,
                                            cancel=stop, on_message=q.put)
            except Exception as exc:
                error = {"event": "error", "type": type(exc).__name__, "message": f"could not start the renderer: {exc}"}
                box["result"] = sandbox.RunResult(returncode=-1, messages=[error])
            q.put(None)

        t = threading.Thread(target=run, daemon=True)
        t.start()
        held = []
        try:
            while True:
                msg = q.get()
                if msg is None:
                    break
                if msg.get("event") in PATH_EVENTS:
                    held.append(msg)  # sent with its file's bytes at the end
                    continue
                yield {"message": _map_paths(msg, str(work), driver_dir)}
        finally:
            stop.set()
            t.join(timeout=30)
        result = box["result"]
        files = []
        for msg in held:
            p = work / str(msg.get("path", ""))  # relative to the run's folder (absolute stays absolute)
            if p.is_file() and not p.is_symlink() and p.resolve().is_relative_to(work.resolve()):
                files.append((msg, p.resolve().relative_to(work.resolve()).as_posix(), p.read_bytes()))
        res = asdict(result)
        res["messages"] = [_map_paths(m, str(work), driver_dir) for m in result.messages
                           if m.get("event") not in PATH_EVENTS]
        yield {"result": res, "files": files, "log": log_file.read_bytes() if log_file.exists() else b"",
               "where": f"worker {socket.gethostname()} pid {os.getpid()}"}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _map_paths(msg: dict, src: str, dst: str) -> dict:
    return {k: (v.replace(src, dst) if isinstance(v, str) else v) for k, v in msg.items()}
