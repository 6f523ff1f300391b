"""The warm worker: Manim imported once, each run of one job forked from it."""
from __future__ import annotations

import ctypes
import json
import os
import resource
import selectors
import signal
import sys
import time
import traceback

from .protocol import MARK, Lines, message_of

# -- The warm worker -----------------------------------------------------------------------------------
# One worker serves one job and is then discarded, so jobs stay as isolated as with a fresh process each.
# It sits behind the same bubblewrap walls as a cold run, in an empty slot folder (the job's inputs are
# copied in when the job takes it). Commands arrive as JSON lines on stdin:
#   {"op": "run", "id": i, "args": [runner args], "limits": {"memory": b, "cpu": s, "file": b}}
#   {"op": "kill", "id": i}                 EOF on stdin: kill every run and exit
#   {"op": "input", "id": i, "order": {...}} a line on the run's stdin (see Control)
# Each run is a child forked from the worker before any scene code ran here, with the limits lowered in
# the child; its stdout/stderr come back as MARK lines tagged with "run": the runner's own messages, and
#   {"run": i, "event": "log", "text": t}   {"run": i, "event": "exit", "status": s}  (s < 0: a signal)
# The worker itself announces {"event": "ready", "runs_isolated": b} once Manim is imported; b says whether a
# run can be given a user namespace of its own (the app uses no worker whose runs cannot).
#
# A run must not reach the worker's own pipes (its stdout to the app, its stderr log): through
# /proc/<worker>/fd/1 it could write lines of any length, or forge another run's messages. Both the worker
# and bubblewrap's pid 1 hold them, in the same pid namespace. A run therefore enters a user namespace of its
# own before any scene code runs (own_user_namespace): the kernel then refuses it /proc/<pid>/fd, environ
# and mem of every process outside it, as it refuses ptrace. Its files keep the same owner on disk, and it
# holds no capability there.

LOG_PIECE = 64 * 1024  # log text goes to the app in pieces no longer than this
CLONE_NEWUSER = 0x10000000
PR_CAPBSET_DROP = 24
CAPABILITY_VERSION_3 = 0x20080522

ORPHAN_PIPE_SECONDS = 2.0



def _send(obj: dict) -> None:
    data = (MARK + json.dumps(obj) + "\n").encode()
    while data:
        data = data[os.write(1, data):]



def warm_up() -> None:
    """Import what every scene imports, and load what Manim loads on its first use, outside any job."""
    import av  # noqa: F401
    import manim  # noqa: F401
    import manimpango  # noqa: F401
    import svgelements  # noqa: F401
    from manim.scene.scene_file_writer import SceneFileWriter  # noqa: F401

    manimpango.list_fonts()  # fontconfig reads its caches once, here instead of in every run



def own_user_namespace() -> None:
    """Enter a user namespace of this process's own, with no capabilities (see above). No uid is mapped
    in it (mapping uid 0, when the app runs as root, needs CAP_SETFCAP): the run sees itself as `nobody`,
    while the kernel still checks its file access as the same user, so it writes its folder as before."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare(CLONE_NEWUSER): {os.strerror(err)}")
    for cap in range(64):  # the bounding set too, so that no program it starts gets any back
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    header, data = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0), (ctypes.c_uint32 * 6)()
    if libc.capset(header, data) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"capset: {os.strerror(err)}")


def runs_can_be_isolated() -> bool:
    """Whether a forked run can enter its own user namespace here (tried in a throwaway child)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            own_user_namespace()
            code = 0
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


class _Run:
    def __init__(self, run_id, pid: int, out_fd: int, err_fd: int, in_fd: int):
        self.id, self.pid, self.stdin = run_id, pid, in_fd
        self.fds = {out_fd: "out", err_fd: "err"}
        self.lines = Lines()
        self.status = None
        self.ended = 0.0

    def forward(self, kind: str, chunk: bytes) -> None:
        if kind == "err":
            self.log(chunk)
            return
        for raw in self.lines.feed(chunk):
            self.forward_line(raw)

    def forward_line(self, raw: bytes) -> None:
        msg = message_of(raw)
        if msg is not None:
            _send({**msg, "run": self.id})
        else:
            self.log(raw + b"\n")

    def log(self, data: bytes) -> None:
        for i in range(0, len(data), LOG_PIECE):
            _send({"run": self.id, "event": "log", "text": data[i:i + LOG_PIECE].decode("utf-8", "replace")})



def _lower_limits(limits: dict) -> None:
    for rlimit, key, extra in ((resource.RLIMIT_AS, "memory", 0), (resource.RLIMIT_CPU, "cpu", 5),
                               (resource.RLIMIT_FSIZE, "file", 0)):
        if limits.get(key):
            hard = resource.getrlimit(rlimit)[1]
            soft = int(limits[key]) if hard == resource.RLIM_INFINITY else min(int(limits[key]), hard)
            top = soft + extra if hard == resource.RLIM_INFINITY else min(soft + extra, hard)
            resource.setrlimit(rlimit, (soft, top))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))



def _fork_run(cmd: dict, runs: dict, sel, run_one) -> None:
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: one run of the job, as a fresh process would run it
        code = 1
        try:
            os.setpgid(0, 0)
            sel.close()
            for run in runs.values():
                for fd in [*run.fds, run.stdin]:
                    os.close(fd)
            for fd in (in_w, out_r, err_r):
                os.close(fd)
            os.dup2(in_r, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in (in_r, out_w, err_w):
                os.close(fd)
            own_user_namespace()  # before any scene code: no reaching the worker's pipes (see above)
            _lower_limits(cmd.get("limits") or {})
            code = run_one([str(a) for a in cmd["args"]])
        except BaseException:
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    for fd in (in_r, out_w, err_w):
        os.close(fd)
    os.set_blocking(in_w, False)  # a run that stops reading its orders must not stall the worker
    run = _Run(cmd["id"], pid, out_r, err_r, in_w)
    runs[run.id] = run
    for fd in run.fds:
        sel.register(fd, selectors.EVENT_READ, run)



def _kill(run: _Run) -> None:
    try:
        os.killpg(run.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass



def _command(line: bytes, runs: dict, sel, run_one) -> None:
    try:
        cmd = json.loads(line)
    except json.JSONDecodeError:
        return
    if cmd.get("op") == "run" and cmd.get("id") not in runs:
        _fork_run(cmd, runs, sel, run_one)
    elif cmd.get("op") == "kill" and cmd.get("id") in runs:
        _kill(runs[cmd["id"]])
    elif cmd.get("op") == "input" and cmd.get("id") in runs:
        try:
            os.write(runs[cmd["id"]].stdin, (json.dumps(cmd.get("order", {})) + "\n").encode())
        except OSError:
            pass



def _reap(runs: dict, sel) -> None:
    """Report runs whose process ended and whose output is drained; kill what they left behind."""
    for run in list(runs.values()):
        if run.status is None:
            pid, status = os.waitpid(run.pid, os.WNOHANG)
            if not pid:
                continue
            run.status, run.ended = os.waitstatus_to_exitcode(status), time.monotonic()
            _kill(run)  # e.g. a latex still holding the pipes open
        if run.fds and time.monotonic() - run.ended > ORPHAN_PIPE_SECONDS:  # held open by an escaped process
            for fd in list(run.fds):
                sel.unregister(fd)
                os.close(fd)
            run.fds.clear()
        if not run.fds:
            rest = run.lines.rest()
            if rest:
                run.forward_line(rest)
            _send({"run": run.id, "event": "exit", "status": run.status})
            os.close(run.stdin)
            del runs[run.id]



def serve(run_one) -> int:
    """Serve one job's runs; `run_one(argv) -> exit code` is what a forked run executes (scene_run.main)."""
    warm_up()
    _send({"event": "ready", "runs_isolated": runs_can_be_isolated()})
    sel = selectors.DefaultSelector()
    sel.register(0, selectors.EVENT_READ, None)
    runs: dict = {}
    pending, stdin_open = b"", True
    while stdin_open or runs:
        for key, _ in sel.select(timeout=0.05):
            chunk = os.read(key.fd, 65536)
            if key.data is None:  # a command
                if not chunk:
                    stdin_open = False
                    sel.unregister(0)
                    for run in runs.values():
                        _kill(run)
                    continue
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    _command(line, runs, sel, run_one)
            elif chunk:
                key.data.forward(key.data.fds[key.fd], chunk)
            else:
                sel.unregister(key.fd)
                os.close(key.fd)
                del key.data.fds[key.fd]
        _reap(runs, sel)
    return 0
