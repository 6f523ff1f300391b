"""The warm worker: Manim imported once, each run of one job forked from it."""
from __future__ import annotations

import json
import os
import resource
import selectors
import signal
import sys
import time
import traceback

from .protocol import MARK

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
# The worker itself announces {"event": "ready"} once Manim is imported.

LINE_LIMIT = 1 << 20  # a child line longer than this goes to the log in pieces

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



class _Run:
    def __init__(self, run_id, pid: int, out_fd: int, err_fd: int, in_fd: int):
        self.id, self.pid, self.stdin = run_id, pid, in_fd
        self.fds = {out_fd: "out", err_fd: "err"}
        self.partial = b""
        self.status = None
        self.ended = 0.0

    def forward(self, kind: str, chunk: bytes) -> None:
        if kind == "err":
            _send({"run": self.id, "event": "log", "text": chunk.decode("utf-8", "replace")})
            return
        self.partial += chunk
        *lines, self.partial = self.partial.split(b"\n")
        if len(self.partial) > LINE_LIMIT:
            lines.append(self.partial)
            self.partial = b""
        for raw in lines:
            self.forward_line(raw)

    def forward_line(self, raw: bytes) -> None:
        line = raw.decode("utf-8", "replace")
        if line.startswith(MARK):
            try:
                msg = json.loads(line[len(MARK):])
                if isinstance(msg, dict):
                    _send({**msg, "run": self.id})
                    return
            except json.JSONDecodeError:
                pass
        _send({"run": self.id, "event": "log", "text": line + "\n"})



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
            if run.partial:
                run.forward_line(run.partial)
            _send({"run": run.id, "event": "exit", "status": run.status})
            os.close(run.stdin)
            del runs[run.id]



def serve(run_one) -> int:
    """Serve one job's runs; `run_one(argv) -> exit code` is what a forked run executes (scene_run.main)."""
    warm_up()
    _send({"event": "ready"})
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
