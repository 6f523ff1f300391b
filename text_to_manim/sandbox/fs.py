"""What the sandbox shows of the host's files, and what a run may leave in its job folder.

Walls the attack corpus (tests/data/attacks/) found missing:
- /etc was bound whole. When the app runs as root (a container), the sandboxed scene is root too and read
  /etc/shadow, ssh host keys, pip or npm tokens. Only what rendering needs of /etc is bound now.
- The root, /dev and /tmp of the sandbox are tmpfs, held in the host's memory: unbounded, a scene could fill
  it. The root and /dev are read-only now, /tmp and /dev/shm have a size.
- A scene could leave symlinks or FIFOs in its job folder (tarfile makes both) named like the app's own
  files (render.log, scene.py, result.json): the app, which is not sandboxed, would write through them to
  any host file, or hang opening a FIFO. After every run only regular files and folders remain.
- Files in the job folder were bounded one by one (RLIMIT_FSIZE), not in number or in total.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from text_to_manim.nofollow import create, open_append  # noqa: F401  (open_append: part of this module's API)

MIB = 1024 * 1024
# What Manim, Cairo/Pango, LaTeX, dvisvgm and Python read in /etc; nothing with secrets in it.
ETC_ENTRIES = ("alternatives", "fonts", "texmf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
               "timezone", "passwd", "group", "nsswitch.conf", "mime.types", "magic", "magic.mime", "ghostscript",
               "papersize", "libpaper.d", "os-release", "debian_version", "xml", "sgml", "ImageMagick-6")
TMP_BYTES = 512 * MIB
SHM_BYTES = 64 * MIB
JOB_DISK_BYTES = 4096 * MIB  # everything a job's runs write, together (the default of T2M_JOB_DISK_MB)
JOB_MAX_FILES = 20_000  # a 200-animation scene with a hundred formulas writes a few thousand


def mount_args() -> list[str]:
    """bwrap arguments for /etc (allow-listed entries), a sized /tmp and /dev/shm."""
    args = []
    for name in ETC_ENTRIES:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args + ["--size", str(TMP_BYTES), "--tmpfs", "/tmp", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm"]


def seal_args() -> list[str]:
    """bwrap arguments that go after every bind: the tmpfs root and /dev become read-only."""
    return ["--remount-ro", "/", "--remount-ro", "/dev"]


def scrub(job_dir: Path) -> list[str]:
    """Remove everything in the job folder that is not a regular file or a folder (links, FIFOs, sockets,
    devices), without following anything; returns what was removed, relative to the job folder. Each
    name is looked up and removed relative to its folder's descriptor (os.fwalk): a run still going on
    (a warm worker's other runs) cannot swap a folder for a link and so point a removal at a host file."""
    removed = []
    for root, dirs, files, root_fd in os.fwalk(job_dir, follow_symlinks=False):
        for name in dirs + files:
            try:
                mode = os.lstat(name, dir_fd=root_fd).st_mode
            except OSError:
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                try:
                    os.unlink(name, dir_fd=root_fd)
                    removed.append(os.path.relpath(os.path.join(root, name), job_dir))
                except OSError:
                    pass
    return removed


def remove_added(job_dir: Path, before: set[str]) -> list[str]:
    """Delete what a run added at the top of the job folder (names not in `before`), without following
    links: a run stopped for writing too much must not leave its files filling the disk others share."""
    removed = []
    for entry in os.scandir(job_dir):
        if entry.name in before:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
        except OSError:
            pass
    return removed


def allocated(path: Path) -> Iterator[int]:
    """Bytes each entry below `path` takes on disk (allocated blocks: a sparse file counts for what it
    really uses), one per entry, without following links; a caller may stop early."""
    stack = [str(path)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                stack.append(entry.path)
            yield st.st_blocks * 512


def over_limit(job_dir: Path, disk_bytes: int, max_files: int) -> Optional[str]:
    """Why the job folder is over its bounds (total size, number of files), or None. Stops counting early."""
    total = 0
    for count, size in enumerate(allocated(job_dir), 1):
        if count > max_files:
            return f"more than {max_files} files in the job folder"
        total += size
        if total > disk_bytes:
            return f"more than {disk_bytes // MIB} MiB in the job folder"
    return None


# The app reads from and writes into folders a sandboxed run may still be changing (a warm worker's slot
# while its head-start render runs, a cold job folder during parallel chunks). A path checked a moment
# ago may be a link by the time it is opened, so these open without following any link.
_NOFOLLOW_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def _below(path: Path, folder: Path) -> list[str]:
    """The names leading from `folder` to `path`, read as written (no link resolved on the way)."""
    target = Path(os.path.abspath(path))
    for base in (Path(os.path.realpath(folder)), Path(os.path.abspath(folder))):
        if target.is_relative_to(base) and target != base:
            return list(target.relative_to(base).parts)
    raise OSError(f"{path} is not inside {folder}")


def _open_regular(path: Path, beneath: Optional[Path]) -> int:
    """A read fd of the regular file at `path`; with `beneath`, every folder from there down is opened
    without following links too."""
    if beneath is None:
        parent, parts = os.open(Path(path).parent, os.O_RDONLY | os.O_DIRECTORY), [Path(path).name]
    else:
        parts = _below(Path(path), Path(beneath))
        parent = os.open(beneath, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)
            os.close(parent)
            parent = child
        fd = os.open(parts[-1], _NOFOLLOW_READ, dir_fd=parent)
    finally:
        os.close(parent)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"{path} is not a regular file")
    return fd


def copy(src: Path, dst: Path, beneath: Optional[Path] = None) -> Path:
    """Copy the regular file `src` to `dst`, following no link at either end. `beneath`: the folder `src`
    must lie in, opened from there down link by link (the run may still be changing it). The copy is
    written aside and renamed over `dst`: a run reading `dst` meanwhile (the early render, when validation
    copies the code in again) sees the old file or the new one, never a missing or half-written one."""
    dst = Path(dst)
    part = dst.with_name(f".{dst.name}.{secrets.token_hex(4)}.part")
    rfd = _open_regular(src, beneath)
    try:
        wfd = create(part)
        with os.fdopen(rfd, "rb", closefd=False) as r, os.fdopen(wfd, "wb") as w:
            shutil.copyfileobj(r, w, 1024 * 1024)
        _rename_over(part, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise
    finally:
        os.close(rfd)
    return dst


def _rename_over(part: Path, dst: Path) -> None:
    """Rename replaces a file or a link planted at `dst` (never following it); a folder planted there goes."""
    try:
        os.replace(part, dst)
    except (IsADirectoryError, PermissionError):  # EISDIR, or EPERM on some file systems
        shutil.rmtree(dst, ignore_errors=True)
        os.replace(part, dst)


# What a run prints is written by the app into logs in the job folder, a place the disk bound of the run
# (its slot, for a warm worker) may not cover; and a scene can print without end. So every run's log keeps
# its head and its tail only, and a run that prints more than RUN_OUTPUT_BYTES in all is stopped.
LOG_HEAD_BYTES = 1 * MIB
LOG_TAIL_BYTES = 256 * 1024
RUN_OUTPUT_BYTES = 32 * MIB
MESSAGE_BYTES = 256  # what one protocol message costs against RUN_OUTPUT_BYTES: the app keeps it in memory
LOG_DROPPED = ("\n[... {dropped} bytes of this run's output left out: a log keeps its first {head} KiB and "
               "last {tail} KiB ...]\n")
NAMES_SHOWN = 20


def printable(name: str, limit: int = 200) -> str:
    """A name a scene chose, as plain text on one line (newlines and control characters escaped)."""
    text = name.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[:limit] + "..."


def printable_names(names: list[str]) -> str:
    shown = ", ".join(printable(n) for n in names[:NAMES_SHOWN])
    return shown + (f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else "")


class RunLog:
    """One run's log file, opened once without following links (see open_append): the first `head`
    bytes are written as they come, then only the last `tail` bytes are kept, and written at close after a
    line saying how much was left out. `printed` counts everything the run's output carried."""

    def __init__(self, path: Path, head: int = LOG_HEAD_BYTES, tail: int = LOG_TAIL_BYTES):
        self.fh = open_append(path)
        self.lock = threading.Lock()  # a warm run's log is written by the worker's reader, closed by its job
        self.head_left, self.tail_max = head, tail
        self.head, self.tail = head, bytearray()
        self.dropped = 0
        self.printed = 0

    def write(self, data: bytes) -> None:
        with self.lock:
            if not self.fh.closed:
                self._write(data)

    def _write(self, data: bytes) -> None:
        if self.head_left:
            part = data[:self.head_left]
            self.fh.write(part)
            self.head_left -= len(part)
            data = data[len(part):]
        if data:
            self.tail += data
            if len(self.tail) > self.tail_max:
                cut = len(self.tail) - self.tail_max
                self.dropped += cut
                del self.tail[:cut]

    def note(self, text: str) -> None:
        """The app's own line (never a raw name a scene chose: see printable)."""
        self.write(text.rstrip("\n").encode("utf-8", "replace") + b"\n")

    @property
    def closed(self) -> bool:
        return self.fh.closed

    def close(self) -> None:
        with self.lock:
            if not self.fh.closed:
                self._close()

    def _close(self) -> None:
        try:
            if self.dropped:
                self.fh.write(LOG_DROPPED.format(dropped=self.dropped, head=self.head // 1024,
                                                 tail=self.tail_max // 1024).encode())
            self.fh.write(bytes(self.tail))
        finally:
            self.fh.close()


def copy_log(src: Path, dst: Path, title: str, head: int = LOG_HEAD_BYTES, tail: int = LOG_TAIL_BYTES) -> None:
    """Append `title` and the head and tail of the log `src` to the log `dst` (a chunk's log into the job's),
    following no link at either end and reading no more than head + tail bytes."""
    try:
        fd = _open_regular(Path(src), None)
    except OSError:
        return
    with os.fdopen(fd, "rb") as fh, open_append(dst) as out:
        size = os.fstat(fd).st_size
        out.write(title.rstrip("\n").encode() + b"\n" + fh.read(head))
        if size > head + tail:
            out.write(LOG_DROPPED.format(dropped=size - head - tail, head=head // 1024, tail=tail // 1024).encode())
        if size > head:
            fh.seek(max(head, size - tail))
            out.write(fh.read(tail))


def read_tail(path: Path, max_bytes: int) -> bytes:
    """The last `max_bytes` of a regular file, opened without following a link."""
    try:
        fd = _open_regular(Path(path), None)
    except OSError:
        return b""
    with os.fdopen(fd, "rb") as fh:
        fh.seek(max(0, os.fstat(fd).st_size - max_bytes))
        return fh.read(max_bytes)
