"""Job history in SQLite: every job's prompt, provider, model, rounds (code, errors, fixes), timings and
artifact paths. Never an API key: rows are built from `Settings.public()` and explicit fields only.

Schema changes are numbered migrations (`MIGRATIONS[n-1]` takes the database from version n-1 to n) and
recorded in a `migrations` table. A job is written as it runs (status "running", each round appended as it
finishes), so a crash leaves a row behind; on the next open, running rows whose process is gone become
"interrupted".

The history is bounded: when a job finishes, the oldest finished rows beyond T2M_HISTORY_MAX_JOBS go, and
an app visitor's own oldest beyond T2M_HISTORY_MAX_PER_VISITOR (so one visitor's flood of jobs cannot push
everyone else's history out). A running job's row is never removed.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

STATUSES = ("running", "ok", "partial", "failed", "interrupted", "cancelled")
READ_WAIT = 10.0  # seconds a read (or the first open's migrations) waits for a lock held by another process
WRITE_WAIT = 2.0  # seconds a write waits before it is queued for the background retry
RETRY_EVERY = 1.0
log = logging.getLogger(__name__)


def _m1(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE jobs (
            id          TEXT PRIMARY KEY,
            created     REAL NOT NULL,
            finished    REAL,
            status      TEXT NOT NULL DEFAULT 'running',
            prompt      TEXT NOT NULL DEFAULT '',
            provider    TEXT NOT NULL DEFAULT '',
            model       TEXT NOT NULL DEFAULT '',
            settings    TEXT NOT NULL DEFAULT '{}',
            rounds      TEXT NOT NULL DEFAULT '[]',
            errors      TEXT NOT NULL DEFAULT '[]',
            fixes       TEXT NOT NULL DEFAULT '[]',
            timings     TEXT NOT NULL DEFAULT '{}',
            artifacts   TEXT NOT NULL DEFAULT '{}',
            message     TEXT NOT NULL DEFAULT '',
            job_dir     TEXT NOT NULL DEFAULT '',
            pid         INTEGER,
            host        TEXT NOT NULL DEFAULT '',
            proc_start  TEXT NOT NULL DEFAULT ''
        )""")
    db.execute("CREATE INDEX jobs_created ON jobs(created)")
    db.execute("CREATE INDEX jobs_status ON jobs(status)")


def _m2(db: sqlite3.Connection) -> None:
    # Where a job came from (prompt / gallery / code) and which gallery scene, for the app's history tab.
    db.execute("ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'prompt'")
    db.execute("ALTER TABLE jobs ADD COLUMN gallery_slug TEXT")
    db.execute("ALTER TABLE jobs ADD COLUMN final_code TEXT NOT NULL DEFAULT ''")


def _m3(db: sqlite3.Connection) -> None:
    # Whose job it is: a hash of the visitor's session id (the app's history shows a visitor their own jobs
    # only; NULL = a local CLI job). And when the disk bound removed the job's files (the row stays).
    db.execute("ALTER TABLE jobs ADD COLUMN owner TEXT")
    db.execute("ALTER TABLE jobs ADD COLUMN pruned REAL")
    db.execute("CREATE INDEX jobs_owner ON jobs(owner, created)")


def _m4(db: sqlite3.Connection) -> None:
    # A lesson is one row (kind 'lesson') whose `lesson` holds its plan and its scenes: title, chapter times,
    # status and clip of each (pipeline/lesson.py); its scenes have no rows of their own.
    db.execute("ALTER TABLE jobs ADD COLUMN lesson TEXT")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m1, _m2, _m3, _m4]


def _proc_start(pid: int) -> str:
    """The process's start time (field 22 of /proc/PID/stat), so a reused pid is not mistaken for ours."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _alive(pid: Optional[int], host: str, start: str) -> bool:
    if not pid or host != socket.gethostname():
        return False  # another machine's row: we cannot know, and it cannot be ours to resume
    if Path("/proc").is_dir():
        return bool(start) and _proc_start(pid) == start
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


class Store:
    def __init__(self, path: Path, max_jobs: Optional[int] = None, max_per_owner: Optional[int] = None):
        if max_jobs is None or max_per_owner is None:  # the bounds the environment sets (CLI and app alike)
            from text_to_manim import config

            env = config.load()
            max_jobs = env.history_max_jobs if max_jobs is None else max_jobs
            max_per_owner = env.history_max_per_visitor if max_per_owner is None else max_per_owner
        self.max_jobs, self.max_per_owner = max_jobs, max_per_owner
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._pending: list[Callable[[sqlite3.Connection], object]] = []
        self._retrier: Optional[threading.Thread] = None
        self.busy = ""  # why queued changes are not written yet ("database is locked"), or ""
        self._running_here: dict[str, str] = {}  # job id -> folder, for this process's unfinished jobs
        with self._db() as db:
            if self._version(db) < len(MIGRATIONS):  # no write lock when there is nothing to migrate
                self._migrate(db)
            dead = self._dead_running(db)
        self.interrupted = len(dead)
        if dead:  # queued like any write: another process may hold the database right now
            self._write(lambda db: self._mark_interrupted(db, dead))

    @contextmanager
    def _db(self, wait: float = READ_WAIT) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=wait, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
            db.execute("PRAGMA journal_mode=WAL")
            yield db
        finally:
            db.close()

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied REAL NOT NULL)")
            done = {r[0] for r in db.execute("SELECT version FROM migrations")}
            for n, fn in enumerate(MIGRATIONS, start=1):
                if n not in done:
                    fn(db)
                    db.execute("INSERT INTO migrations(version, applied) VALUES (?, ?)", (n, time.time()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @staticmethod
    def _version(db: sqlite3.Connection) -> int:
        try:
            return db.execute("SELECT COALESCE(MAX(version), 0) FROM migrations").fetchone()[0]
        except sqlite3.OperationalError:  # a new database: no migrations table yet
            return 0

    @staticmethod
    def _dead_running(db: sqlite3.Connection) -> list[str]:
        """Jobs marked running whose process is gone: they were interrupted."""
        rows = db.execute("SELECT id, pid, host, proc_start FROM jobs WHERE status='running'").fetchall()
        return [r["id"] for r in rows if not _alive(r["pid"], r["host"], r["proc_start"])]

    @staticmethod
    def _mark_interrupted(db: sqlite3.Connection, dead: list[str]) -> None:
        for jid in dead:
            db.execute("UPDATE jobs SET status='interrupted', finished=?, message=CASE WHEN message='' THEN "
                       "'the process running this job ended before it finished' ELSE message END WHERE id=?",
                       (time.time(), jid))

    def version(self) -> int:
        with self._db() as db:
            return self._version(db)

    # -- writing --------------------------------------------------------------------------------------
    # Writes never stall a job: each waits at most WRITE_WAIT for the database; one that finds it locked by
    # another process stays queued, in order, and a background thread retries until it lands.
    def _write(self, fn: Callable[[sqlite3.Connection], object]) -> None:
        with self._lock:
            self._pending.append(fn)
        self._try_flush()

    def _try_flush(self) -> None:
        """Write what is queued, unless the retry thread already waits for a lock (then don't wait twice)."""
        if not (self._retrier is not None and self._retrier.is_alive()):
            self.flush()

    def flush(self, wait: float = 0.0) -> bool:
        """Try to write the queued changes now (retrying for up to `wait` seconds); True when none is left."""
        end = time.monotonic() + wait
        while True:
            with self._lock:
                try:
                    self._drain()
                    self.busy = ""
                    return True
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    self.busy = str(exc)
            if time.monotonic() >= end:
                self._retry_later()
                return False
            time.sleep(0.2)

    def _drain(self) -> None:
        if not self._pending:
            return
        with self._db(WRITE_WAIT) as db:
            while self._pending:
                db.execute("BEGIN IMMEDIATE")
                try:
                    self._pending[0](db)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                self._pending.pop(0)

    def _retry_later(self) -> None:
        with self._lock:
            if self._retrier is not None and self._retrier.is_alive():
                return
            self._retrier = threading.Thread(target=self._retry, name="t2m-history-retry", daemon=True)
            self._retrier.start()

    def _retry(self) -> None:
        while self.pending():
            time.sleep(RETRY_EVERY)
            try:
                self.flush()
            except Exception:  # a broken database: keep the changes in memory, say so in `busy`
                log.exception("history: could not write queued changes")

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def start(self, job_id: str, *, prompt: str, provider: str, model: str, settings_public: dict,
              job_dir: str, kind: str = "prompt", gallery_slug: Optional[str] = None,
              owner: Optional[str] = None) -> None:
        safe = {k: v for k, v in settings_public.items() if "key" not in k.lower() or k == "api_key_set"}
        pid = os.getpid()
        with self._lock:
            self._running_here[job_id] = job_dir
        row = (job_id, time.time(), prompt, provider, model, json.dumps(safe, default=str), job_dir, pid,
               socket.gethostname(), _proc_start(pid), kind, gallery_slug, owner)
        self._write(lambda db: db.execute(
            "INSERT INTO jobs(id, created, status, prompt, provider, model, settings, job_dir, pid, host, "
            "proc_start, kind, gallery_slug, owner) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row))

    def add_round(self, job_id: str, round_info: dict) -> None:
        def add(db: sqlite3.Connection) -> None:
            row = db.execute("SELECT rounds FROM jobs WHERE id=?", (job_id,)).fetchone()
            rounds = json.loads(row["rounds"]) if row else []
            rounds.append(round_info)
            db.execute("UPDATE jobs SET rounds=? WHERE id=?", (json.dumps(rounds, default=str), job_id))
        self._write(add)

    def finish(self, job_id: str, *, status: str, errors: list, fixes: list, timings: dict, artifacts: dict,
               message: str = "", final_code: str = "") -> None:
        assert status in STATUSES, status
        with self._lock:
            self._running_here.pop(job_id, None)
        values = (status, time.time(), json.dumps(errors, default=str), json.dumps(fixes, default=str),
                  json.dumps(timings, default=str), json.dumps(artifacts, default=str), message, final_code, job_id)
        self._write(lambda db: db.execute(
            "UPDATE jobs SET status=?, finished=?, errors=?, fixes=?, timings=?, artifacts=?, message=?, "
            "final_code=? WHERE id=?", values))
        self._write(lambda db: self._prune(db, self.max_jobs, self.max_per_owner))  # its own step: never in a finish's way

    def set_lesson(self, job_id: str, lesson: dict) -> None:
        """A lesson's plan and scenes (written when it is planned, and again as its scenes finish or are redone)."""
        text = json.dumps(lesson, default=str)
        self._write(lambda db: db.execute("UPDATE jobs SET lesson=? WHERE id=?", (text, job_id)))

    @staticmethod
    def _prune(db: sqlite3.Connection, max_jobs: int, max_per_owner: int) -> int:
        """Remove the oldest finished rows beyond the bounds (per app visitor, then in all); how many."""
        gone = db.execute(
            "DELETE FROM jobs WHERE status != 'running' AND id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER "
            "(PARTITION BY owner ORDER BY created DESC) AS n FROM jobs WHERE owner IS NOT NULL) WHERE n > ?)",
            (max(1, max_per_owner),)).rowcount
        gone += db.execute(
            "DELETE FROM jobs WHERE status != 'running' AND id IN "
            "(SELECT id FROM jobs ORDER BY created DESC LIMIT -1 OFFSET ?)", (max(1, max_jobs),)).rowcount
        return gone

    def set_bounds(self, max_jobs: int, max_per_owner: int) -> None:
        """The history's bounds for the jobs that finish from now on (the app's settings)."""
        self.max_jobs, self.max_per_owner = max_jobs, max_per_owner

    def mark_pruned(self, job_dirs: list[str]) -> None:
        """The disk bound removed these jobs' files; their rows (prompt, code, errors) stay."""
        now = time.time()
        self._write(lambda db: db.executemany("UPDATE jobs SET pruned=? WHERE job_dir=?",
                                              [(now, d) for d in job_dirs]))

    # -- reading --------------------------------------------------------------------------------------
    @staticmethod
    def _row(r: sqlite3.Row) -> dict[str, Any]:
        d = dict(r)
        for k in ("settings", "rounds", "errors", "fixes", "timings", "artifacts", "lesson"):
            d[k] = json.loads(d[k] or "null")
        return d

    def lesson(self, job_id: str) -> Optional[dict]:
        """What reopening a lesson restores: {"job_id", "status", "prompt", "storyboard" (its JSON form),
        "chapters" (title, start, end, status, clip per scene), "video", "notes_md", "notes_pdf", "job_dir"};
        None when the row is not a lesson."""
        row = self.get(job_id)
        if not row or row.get("kind") != "lesson" or not isinstance(row.get("lesson"), dict):
            return None
        facts, artifacts = row["lesson"], row.get("artifacts") or {}
        return {"job_id": job_id, "status": row["status"], "prompt": row["prompt"], "job_dir": row["job_dir"],
                "storyboard": facts.get("storyboard"), "chapters": facts.get("chapters", []),
                "video": artifacts.get("video") or facts.get("video"), "notes_md": artifacts.get("notes_md"),
                "notes_pdf": artifacts.get("notes_pdf")}

    def get(self, job_id: str) -> Optional[dict]:
        self._try_flush()
        with self._db() as db:
            r = db.execute("SELECT * FROM jobs WHERE id=?", (job_id,)).fetchone()
        return self._row(r) if r else None

    def recent(self, limit: int = 50, owner: Optional[str] = None) -> list[dict]:
        """Newest first: every job (the CLI, `owner=None`), or one visitor's own jobs only."""
        self._try_flush()
        with self._db() as db:
            if owner is None:
                rows = db.execute("SELECT * FROM jobs ORDER BY created DESC LIMIT ?", (limit,)).fetchall()
            else:
                rows = db.execute("SELECT * FROM jobs WHERE owner=? ORDER BY created DESC LIMIT ?",
                                  (owner, limit)).fetchall()
        return [self._row(r) for r in rows]

    def live_job_dirs(self) -> set[str]:
        """Folders of jobs still running in a live process (this one or another, e.g. a CLI render)."""
        self._try_flush()
        with self._db() as db:
            rows = db.execute("SELECT job_dir, pid, host, proc_start FROM jobs WHERE status='running'").fetchall()
        with self._lock:
            here = set(self._running_here.values())  # rows perhaps still queued behind a lock
        return here | {r["job_dir"] for r in rows if r["job_dir"] and _alive(r["pid"], r["host"], r["proc_start"])}


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def open_store(path: Path) -> Store:
    """One Store per database path per process (migrations and the interrupted sweep run once)."""
    key = str(Path(path).resolve())
    with _stores_lock:
        if key not in _stores:
            _stores[key] = Store(Path(path))
        return _stores[key]


@atexit.register
def _flush_at_exit() -> None:
    """A CLI run ends right after its job: give queued history writes a last chance to land."""
    for st in list(_stores.values()):
        if st.pending():
            st.flush(wait=10.0)
