"""Bounds on one sandboxed run as a whole, and on all the runs of one job together, through cgroups: a cap
on processes (the pids controller) and a memory bound (the memory controller).

Why: rlimits are per process. RLIMIT_NPROC counts every process of the user and does not apply to root, so
a fork bomb that slips past the policy (docs/ARCHITECTURE.md, "The sandbox") would take the whole machine;
RLIMIT_AS bounds one process's address space, so 256 processes of 1 GiB each, and the sandbox's RAM-backed
/tmp and /dev/shm (tmpfs pages belong to no process), add up to far more than any one limit. A cgroup holds
a run's whole tree: at most MAX_PIDS processes and threads, at most its memory bound of RAM (what its
processes allocate, the page cache they fill and the tmpfs pages they write; no swap), and every process of
it is killed at its end, even one that left the process group with setsid. A run over its memory bound dies
as a whole (memory.oom.group on cgroup v2; on v1, where the kernel kills one process, a watcher ends the
rest) and `memory_hit` says so, for a clear message instead of a bare SIGKILL. The runs of one job sit in a
parent group whose memory bound holds them together (a warm worker's group is that bound for its job).

Where the host gives us no writable cgroup for a controller (a container without cgroup delegation, an
unprivileged user on cgroup v2 without a delegated subtree) runs go on without that bound, under the
per-process rlimits alone; `available()` and `memory_available()` say so, and `doctor` reports it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

log = logging.getLogger(__name__)

CGROUP_ROOT = Path("/sys/fs/cgroup")
# manim, its encoder threads, a LaTeX run and ffmpeg stay far below this; a fork bomb reaches it at once.
MAX_PIDS = 256
PREFIX = "t2m-"
JOB_MARK = "job-"  # a job's parent group: t2m-<app pid>-job-<key>, its runs' groups inside it
WATCH_SECONDS = 0.1  # cgroup v1: how soon the rest of a run follows the process the kernel killed
PEAK_SLACK = 4 << 20  # charges come in per-CPU batches: a peak this close to a bound reached it
MIB = 1 << 20


@dataclass(frozen=True)
class Hierarchy:
    """Where this process may make groups for one controller: under `base`, on cgroup v1 or v2."""
    controller: str
    base: Path
    v2: bool


@dataclass(frozen=True)
class JobBound:
    """The parent group that holds every run of one job: `key` names the job (its folder), `memory_bytes`
    bounds its runs together."""
    key: str
    memory_bytes: int

    def folder_name(self) -> str:
        return f"{PREFIX}{os.getpid()}-{JOB_MARK}{hashlib.sha256(self.key.encode()).hexdigest()[:16]}"


@dataclass(frozen=True)
class MemoryHit:
    """A run ended because it, or its job, went over a memory bound."""
    scope: str  # "run" or "job" (its bound); "machine": under its bounds, memory ran short around it
    limit_bytes: int  # the bound; for "machine", what the run held at its peak


def _v2_mount() -> Optional[Path]:
    for root in (CGROUP_ROOT, CGROUP_ROOT / "unified"):  # pure v2, or the unified half of a hybrid host
        if (root / "cgroup.controllers").is_file():
            return root
    return None


def _delegated(base: Path, controller: str) -> bool:
    """cgroup v2: whether children of `base` get `controller`, enabling it there where we may."""
    try:
        if controller in (base / "cgroup.subtree_control").read_text().split():
            return os.access(base, os.W_OK)
        if controller not in (base / "cgroup.controllers").read_text().split():
            return False
        (base / "cgroup.subtree_control").write_text(f"+{controller}")
        return True
    except OSError:  # not ours to change, or processes live in `base` itself (no internal processes on v2)
        return False


def hierarchy(controller: str) -> Optional[Hierarchy]:
    """The group this process lives in for `controller`, if we may make children in it (v1, or v2 with the
    controller handed down)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            base = CGROUP_ROOT / controller / path.lstrip("/")
            return Hierarchy(controller, base, False) if os.access(base, os.W_OK) else None
    mount = _v2_mount()
    for line in lines:
        if line.startswith("0::") and mount is not None:
            base = mount / line[3:].lstrip("/")
            return Hierarchy(controller, base, True) if _delegated(base, controller) else None
    return None


def _base() -> Optional[Path]:
    """Where the pids groups go (None: no process cap here)."""
    h = hierarchy("pids")
    return h.base if h else None


def available() -> bool:
    """Whether runs get the process cap."""
    return hierarchy("pids") is not None


def memory_available() -> bool:
    """Whether runs and jobs get a memory bound (else only the per-process address-space rlimit holds)."""
    return hierarchy("memory") is not None


def _read_int(path: Path, key: Optional[str] = None) -> Optional[int]:
    """A number from a cgroup file: the whole file, or the `key value` line of a flat-keyed one."""
    try:
        text = path.read_text()
    except OSError:
        return None
    if key is None:
        return int(text.split()[0]) if text.split() and text.split()[0].isdigit() else None
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name == key and value.strip().isdigit():
            return int(value)
    return None


def _set_memory(folder: Path, v2: bool, nbytes: int) -> None:
    """The memory bound of one group, swap not allowed (a bound that spills to swap bounds nothing)."""
    if v2:
        (folder / "memory.max").write_text(str(nbytes))
        for name, value in (("memory.swap.max", "0"), ("memory.oom.group", "1")):
            if (folder / name).exists():  # swap accounting and oom.group are not on every kernel
                (folder / name).write_text(value)
        return
    limit, memsw = folder / "memory.limit_in_bytes", folder / "memory.memsw.limit_in_bytes"
    # v1 wants limit <= memsw at every moment: lowering writes the limit first, raising memsw first.
    current = _read_int(limit) or 0
    for path in ((limit, memsw) if nbytes <= current else (memsw, limit)):
        if path.exists():
            path.write_text(str(nbytes))
    # v1 has no oom.group: the kernel would kill one process and the rest of the run would go on (a parent
    # seeing its child killed). With its OOM killer off, a group at its bound waits instead ("under_oom"),
    # and the watcher ends the whole run at once (a fatal signal wakes a task waiting there).
    oom = folder / "memory.oom_control"
    if oom.exists():
        try:
            oom.write_text("1")
        except OSError:  # not allowed here: the kernel's kill and the watcher's remain
            pass


def _procs(folder: Path) -> list[int]:
    try:
        return [int(p) for p in (folder / "cgroup.procs").read_text().split()]
    except OSError:
        return []


def _kill_all(folder: Path) -> None:
    for pid in _procs(folder):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _remove(folder: Path, deadline: float) -> bool:
    """Kill what is in `folder` (and in groups below it) until it can be removed, or the deadline passes."""
    for child in [p for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []:
        _remove(child, deadline)
    while True:
        _kill_all(folder)
        try:
            folder.rmdir()
            return True
        except FileNotFoundError:
            return True
        except OSError:
            if time.monotonic() > deadline:
                log.warning("cgroup %s still has processes %s; left in place", folder, _procs(folder))
                return False
            time.sleep(0.05)


@dataclass
class Group:
    """One run's groups (a folder per controller on cgroup v1, one folder on v2). `join` runs in the child
    before exec; `memory_hit` says whether a memory bound ended the run; `close` kills what is left and
    removes the groups (and the job's parent group once its last run is gone). Without a writable cgroup
    each of them does nothing, and the rlimits are the only bounds."""
    dirs: dict[str, Path] = field(default_factory=dict)  # controller -> this group's folder
    memory_bytes: Optional[int] = None  # this group's own memory bound, when the memory controller is here
    scope: str = "run"  # what that bound is for: "run", or "job" (a warm worker: its job's runs are inside)
    job: Optional[JobBound] = None  # the parent group its memory bound is under
    parents: list[Path] = field(default_factory=list)
    v2: bool = False
    hit: Optional[MemoryHit] = None
    _stop: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def create(cls, max_pids: int = MAX_PIDS, memory_bytes: Optional[int] = None,
               job: Optional[JobBound] = None, scope: str = "run") -> Group:
        """A group for one run: the process cap, and with `memory_bytes` a memory bound, under `job`'s
        parent group when given."""
        group = cls(scope=scope)
        name = f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        found = {c: hierarchy(c) for c in (("pids", "memory") if memory_bytes else ("pids",))}
        by_base: dict[Path, list[Hierarchy]] = {}  # on v2 every controller shares one folder
        for h in found.values():
            if h is not None:
                by_base.setdefault(h.base, []).append(h)
        for hs in by_base.values():
            controllers = [h.controller for h in hs]
            folder = None
            try:
                folder = group._make(hs[0], name, job, controllers)
                if "pids" in controllers:
                    (folder / "pids.max").write_text(str(max_pids))
                if "memory" in controllers and memory_bytes:
                    _set_memory(folder, hs[0].v2, memory_bytes)
                    group.memory_bytes, group.job, group.v2 = memory_bytes, job, hs[0].v2
                group.dirs.update(dict.fromkeys(controllers, folder))
            except OSError as exc:
                log.warning("could not make a %s cgroup (%s); this run goes without that bound",
                            "/".join(controllers), exc)
                if folder is not None:  # made, but not bounded: of no use
                    _remove(folder, time.monotonic())
        if "memory" in group.dirs:
            threading.Thread(target=group._watch, name=f"cgroup-watch-{name}", daemon=True).start()
        return group

    def _make(self, h: Hierarchy, name: str, job: Optional[JobBound], controllers: list[str]) -> Path:
        """This run's folder, in its job's parent group (made, bounded and kept while any run is in it)."""
        if job is None:
            (h.base / name).mkdir()
            return h.base / name
        parent = h.base / job.folder_name()
        for _ in range(3):  # the job's last other run may remove the parent between our two mkdirs
            try:
                parent.mkdir()
            except FileExistsError:
                pass
            else:
                try:
                    if h.v2:
                        (parent / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in controllers))
                    if "memory" in controllers:
                        _set_memory(parent, h.v2, job.memory_bytes)
                except OSError:
                    parent.rmdir()  # a job group without its bound would hold nothing
                    raise
            try:
                (parent / name).mkdir()
            except FileNotFoundError:
                continue
            self.parents.append(parent)
            return parent / name
        raise OSError(f"the job's cgroup {parent} kept vanishing")

    def limit_memory(self, nbytes: int) -> None:
        """A new memory bound for this group (a warm worker taken by a job gets that job's bound)."""
        folder = self.dirs.get("memory")
        if folder is None:
            return
        try:
            _set_memory(folder, self.v2, nbytes)
            self.memory_bytes = nbytes
        except OSError as exc:  # e.g. v1 refuses a bound below what the group holds now
            log.warning("could not set the memory bound of %s to %d MiB: %s", folder, nbytes // MIB, exc)

    def join(self) -> None:
        """Move the calling process into the groups (a Popen preexec step: the child, before exec)."""
        for folder in dict.fromkeys(self.dirs.values()):
            (folder / "cgroup.procs").write_text(str(os.getpid()))

    def pids(self) -> list[int]:
        return sorted({pid for folder in dict.fromkeys(self.dirs.values()) for pid in _procs(folder)})

    def kill(self) -> None:
        for folder in dict.fromkeys(self.dirs.values()):
            _kill_all(folder)

    # -- the memory bound ----------------------------------------------------------------------------
    def _oom_kills(self) -> int:
        folder = self.dirs.get("memory")  # gone once closed (the watcher may still be looking)
        if folder is None:
            return 0
        if self.v2:
            return _read_int(folder / "memory.events", "oom_kill") or 0
        return _read_int(folder / "memory.oom_control", "oom_kill") or 0

    def _which_bound(self) -> MemoryHit:
        """Which bound the group got to (the kernel counts kills, not which limit caused them): its own, its
        job's, or neither (the machine, or a limit above the app's own group, ran short)."""
        folder = self.dirs.get("memory")
        peak_file = "memory.peak" if self.v2 else "memory.max_usage_in_bytes"
        peak = _read_int(folder / peak_file) if folder is not None else None
        if peak is None or peak >= (self.memory_bytes or 0) - PEAK_SLACK:
            return MemoryHit(self.scope, self.memory_bytes or 0)
        if self.job is not None and folder is not None:
            job_peak = _read_int(folder.parent / peak_file)
            if job_peak is None or job_peak >= self.job.memory_bytes - PEAK_SLACK:
                return MemoryHit("job", self.job.memory_bytes)
        return MemoryHit("machine", peak)

    def _under_oom(self) -> bool:
        """cgroup v1: the group, or its job's, is at its bound and waiting (its OOM killer is off)."""
        folder = self.dirs.get("memory")
        if folder is None or self.v2:
            return False
        groups = [folder] + ([folder.parent] if self.job is not None else [])
        return any(_read_int(g / "memory.oom_control", "under_oom") for g in groups)

    def _watch(self) -> None:
        """A process of the group hit a memory bound (killed by the kernel, or waiting at the bound on v1):
        the whole run goes, at once."""
        while not self._stop.wait(WATCH_SECONDS):
            if self.hit is None and (self._under_oom() or self._oom_kills()):
                self.hit = self._which_bound()
            if self.hit is not None:
                self.kill()

    def memory_hit(self) -> Optional[MemoryHit]:
        """Whether a memory bound ended the run (after `close`: `hit`)."""
        if self.hit is None and "memory" in self.dirs and self._oom_kills():
            self.hit = self._which_bound()
        return self.hit

    def close(self, wait_seconds: float = 5.0) -> None:
        """Kill what is left and remove the groups; `hit` keeps whether a memory bound ended the run."""
        self.memory_hit()
        self._stop.set()
        deadline = time.monotonic() + wait_seconds
        for folder in dict.fromkeys(self.dirs.values()):
            _remove(folder, deadline)
        for parent in self.parents:  # the job's parent goes with its last run (the kernel refuses it before)
            try:
                parent.rmdir()
            except OSError:
                pass
        self.dirs, self.parents = {}, []


def remove_stale() -> None:
    """Groups left by an app that died (its pid no longer runs): kill what is in them and remove them."""
    for controller in ("pids", "memory"):
        h = hierarchy(controller)
        if h is None:
            continue
        for path in h.base.glob(f"{PREFIX}*"):
            owner = path.name[len(PREFIX):].split("-", 1)[0]
            if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                _remove(path, time.monotonic() + 1.0)
