"""A cap on the number of processes (and threads) one sandboxed run may have, through a pids cgroup.

Why: RLIMIT_NPROC counts every process of the user, and does not apply to root at all, so a fork bomb
that slips past the policy (docs/ARCHITECTURE.md, "The sandbox") would take the whole machine. A pids cgroup
per run caps that run's tree alone, and lets us kill every process of it at the end, even one that left
the process group with setsid.

Where the host gives us no writable pids cgroup (a container without cgroup delegation, an unprivileged
user on cgroup v2 without a delegated subtree) runs go on without the cap; `available()` says so, and
`doctor` reports it.
"""
from __future__ import annotations

import logging
import os
import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

log = logging.getLogger(__name__)

CGROUP_ROOT = Path("/sys/fs/cgroup")
# manim, its encoder threads, a LaTeX run and ffmpeg stay far below this; a fork bomb reaches it at once.
MAX_PIDS = 256
PREFIX = "t2m-"


def _base() -> Optional[Path]:
    """The pids cgroup this process lives in, if we may make children in it (v1, or delegated v2)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "pids" in controllers.split(","):
            base = CGROUP_ROOT / "pids" / path.lstrip("/")
            return base if os.access(base, os.W_OK) else None
    for line in lines:  # cgroup v2: only where the pids controller is handed down to our children
        if line.startswith("0::"):
            base = CGROUP_ROOT / line[3:].lstrip("/")
            try:
                delegated = "pids" in (base / "cgroup.subtree_control").read_text().split()
            except OSError:
                return None
            return base if delegated and os.access(base, os.W_OK) else None
    return None


def available() -> bool:
    return _base() is not None


@dataclass
class Group:
    """One run's pids cgroup. `join` runs in the child before exec; `close` kills what is left and
    removes the group. Without a writable cgroup both do nothing."""
    path: Optional[Path]

    @classmethod
    def create(cls, max_pids: int = MAX_PIDS) -> "Group":
        base = _base()
        if base is None:
            return cls(None)
        path = base / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            path.mkdir()
            (path / "pids.max").write_text(str(max_pids))
        except OSError as exc:
            log.warning("could not make a pids cgroup (%s); this run has no process cap", exc)
            return cls(None)
        return cls(path)

    def join(self) -> None:
        """Move the calling process into the group (a Popen preexec step: the child, before exec)."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def pids(self) -> list[int]:
        if self.path is None:
            return []
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def close(self, wait_seconds: float = 5.0) -> None:
        path = self.path
        if path is None:
            return
        deadline = time.monotonic() + wait_seconds
        while True:
            left = self.pids()
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                path.rmdir()
                self.path = None
                return
            except OSError:
                if time.monotonic() > deadline:
                    log.warning("pids cgroup %s still has processes %s; left in place", self.path, left)
                    return
                time.sleep(0.05)


def remove_stale() -> None:
    """Groups left by an app that died (its pid no longer runs): kill what is in them and remove them."""
    base = _base()
    if base is None:
        return
    for path in base.glob(f"{PREFIX}*"):
        owner = path.name[len(PREFIX):].split("-", 1)[0]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            Group(path).close(wait_seconds=1.0)
