"""A size bound for media/jobs (T2M_MEDIA_MAX_GB): the oldest finished jobs' folders go first.

A running job's folder is never removed: the history database names the jobs that still run in a live
process (the app's or a CLI render's), and the store also knows this process's own jobs whose rows are
still queued for writing. The history rows of removed jobs stay (prompt, code, errors), marked `pruned`.
When the bound cannot be met even so (running jobs alone fill it), `enforce` says so and the app refuses
new jobs until space frees up, rather than removing a running job's files.
"""
from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from text_to_manim.config import Settings
from text_to_manim.sandbox import fs as sandbox_fs

log = logging.getLogger(__name__)

GIB = 1024 ** 3
LOW_WATER = 0.9  # prune down to 90 % of the bound, so that not every job triggers another pruning
MEDIA_FULL = ("The server's video storage is full ({used:.2f} of {limit:.2f} GB, set by T2M_MEDIA_MAX_GB) and "
              "all of it belongs to jobs that are still running. Nothing was started; try again when one of "
              "them finishes.")
_lock = threading.Lock()  # one pruning at a time per process


@dataclass
class Bound:
    used: int  # bytes on disk under media/jobs after pruning
    limit: int
    removed: list[str] = field(default_factory=list)  # job folders removed, oldest first
    freed: int = 0

    @property
    def full(self) -> bool:
        return self.used > self.limit

    def message(self) -> str:
        return MEDIA_FULL.format(used=self.used / GIB, limit=self.limit / GIB)


def disk_bytes(path: Path) -> int:
    """Bytes a folder takes on disk; links are not followed."""
    return sum(sandbox_fs.allocated(path))


def _last_activity(path: Path) -> float:
    try:
        return max([path.stat().st_mtime] + [p.stat().st_mtime for p in path.iterdir()])
    except OSError:
        return 0.0


def enforce(settings: Settings, on_removed: Optional[Callable[[Path], None]] = None) -> Bound:
    """Remove the oldest finished job folders until media/jobs is under its bound; never a running job's."""
    from text_to_manim.store import open_store

    limit = int(settings.media_max_gb * GIB)
    jobs_dir = Path(settings.jobs_dir)
    with _lock:
        folders = [p for p in jobs_dir.iterdir() if p.is_dir() and not p.is_symlink()] if jobs_dir.is_dir() else []
        sizes = {p: disk_bytes(p) for p in folders}
        used = sum(sizes.values())
        bound = Bound(used=used, limit=limit)
        if used <= limit:
            return bound
        try:
            st = open_store(settings.db_path)
            running = st.live_job_dirs()
        except Exception as exc:  # which jobs run is unknown: remove nothing rather than a running job's files
            log.warning("disk bound: history unavailable (%s); nothing removed", exc)
            return bound
        target = int(limit * LOW_WATER)
        for p in sorted(folders, key=_last_activity):
            if bound.used <= target:
                break
            key = str(p.resolve())
            if key in running:
                continue
            shutil.rmtree(p, ignore_errors=True)
            if p.exists():
                continue
            bound.used -= sizes[p]
            bound.freed += sizes[p]
            bound.removed.append(key)
            if on_removed is not None:
                on_removed(p)
        if bound.removed:
            st.mark_pruned(bound.removed)
            log.info("disk bound: removed %d job folder(s), %.1f MB", len(bound.removed), bound.freed / 1e6)
        return bound
