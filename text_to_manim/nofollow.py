"""Writing into folders a sandboxed run can change, never through a link it planted there.

The job folder is shared with the runs of its job: a scene can replace any name in it with a link to a host
file at any moment. Every file the app writes there is created new (`O_EXCL | O_NOFOLLOW`, whatever was
planted is removed first) or appended to without following links. `sandbox/fs.py` builds the rest of the
app's access to run folders on these; `jobs.py` writes code and logs with them.
"""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def create(dst: Path) -> int:
    """A write fd of a new regular file at `dst`, whatever a run planted there (a link, a folder)."""
    for _ in range(5):
        try:
            os.unlink(dst)
        except FileNotFoundError:
            pass
        except (IsADirectoryError, PermissionError):  # a folder (some file systems say EPERM)
            shutil.rmtree(dst, ignore_errors=True)
        try:
            return os.open(dst, NEW_FILE, 0o644)
        except FileExistsError:
            continue  # replaced again between unlink and open
    raise OSError(f"{dst} keeps being replaced")


def open_append(path: Path):
    """A log file the app appends to in a folder a run can write: never through a link planted there."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError:  # a link or something else planted: replace it
        fd = create(Path(path))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        fd = create(Path(path))
    return os.fdopen(fd, "ab")


def write_text(path: Path, text: str) -> Path:
    """`path` made anew with `text` (UTF-8), whatever a run left at that name."""
    with os.fdopen(create(Path(path)), "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(path)
