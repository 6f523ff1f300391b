"""Job history in SQLite: every job's prompt, provider, model, rounds (code, errors, fixes), timings and
artifact paths. Never an API key: rows are built from `Settings.public()` and explicit fields only.

Schema changes are numbered migrations (`MIGRATIONS[n-1]` takes the database from version n-1 to n) and
recorded in a `migrations` table. A job is written as it runs (status "running", each round appended as it
finishes), so a crash leaves a row behind; on the next open, running rows whose process is gone become
"interrupted".
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

STATUSES = ("running", "ok", "failed", "interrupted", "cancelled")


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


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m1, _m2]


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
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._db() as db:
            self._migrate(db)
            self.interrupted = self._mark_interrupted(db)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=30000")
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
    def _mark_interrupted(db: sqlite3.Connection) -> int:
        rows = db.execute("SELECT id, pid, host, proc_start FROM jobs WHERE status='running'").fetchall()
        dead = [r["id"] for r in rows if not _alive(r["pid"], r["host"], r["proc_start"])]
        for jid in dead:
            db.execute("UPDATE jobs SET status='interrupted', finished=?, message=CASE WHEN message='' THEN "
                       "'the process running this job ended before it finished' ELSE message END WHERE id=?",
                       (time.time(), jid))
        return len(dead)

    def version(self) -> int:
        with self._db() as db:
            return db.execute("SELECT COALESCE(MAX(version), 0) FROM migrations").fetchone()[0]

    # -- writing --------------------------------------------------------------------------------------
    def start(self, job_id: str, *, prompt: str, provider: str, model: str, settings_public: dict,
              job_dir: str, kind: str = "prompt", gallery_slug: Optional[str] = None) -> None:
        safe = {k: v for k, v in settings_public.items() if "key" not in k.lower() or k == "api_key_set"}
        pid = os.getpid()
        with self._lock, self._db() as db:
            db.execute(
                "INSERT INTO jobs(id, created, status, prompt, provider, model, settings, job_dir, pid, host, "
                "proc_start, kind, gallery_slug) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (job_id, time.time(), prompt, provider, model, json.dumps(safe, default=str), job_dir, pid,
                 socket.gethostname(), _proc_start(pid), kind, gallery_slug))

    def add_round(self, job_id: str, round_info: dict) -> None:
        with self._lock, self._db() as db:
            row = db.execute("SELECT rounds FROM jobs WHERE id=?", (job_id,)).fetchone()
            rounds = json.loads(row["rounds"]) if row else []
            rounds.append(round_info)
            db.execute("UPDATE jobs SET rounds=? WHERE id=?", (json.dumps(rounds, default=str), job_id))

    def finish(self, job_id: str, *, status: str, errors: list, fixes: list, timings: dict, artifacts: dict,
               message: str = "", final_code: str = "") -> None:
        assert status in STATUSES, status
        with self._lock, self._db() as db:
            db.execute(
                "UPDATE jobs SET status=?, finished=?, errors=?, fixes=?, timings=?, artifacts=?, message=?, "
                "final_code=? WHERE id=?",
                (status, time.time(), json.dumps(errors, default=str), json.dumps(fixes, default=str),
                 json.dumps(timings, default=str), json.dumps(artifacts, default=str), message, final_code,
                 job_id))

    # -- reading --------------------------------------------------------------------------------------
    @staticmethod
    def _row(r: sqlite3.Row) -> dict[str, Any]:
        d = dict(r)
        for k in ("settings", "rounds", "errors", "fixes", "timings", "artifacts"):
            d[k] = json.loads(d[k] or "null")
        return d

    def get(self, job_id: str) -> Optional[dict]:
        with self._db() as db:
            r = db.execute("SELECT * FROM jobs WHERE id=?", (job_id,)).fetchone()
        return self._row(r) if r else None

    def recent(self, limit: int = 50) -> list[dict]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM jobs ORDER BY created DESC LIMIT ?", (limit,)).fetchall()
        return [self._row(r) for r in rows]


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def open_store(path: Path) -> Store:
    """One Store per database path per process (migrations and the interrupted sweep run once)."""
    key = str(Path(path).resolve())
    with _stores_lock:
        if key not in _stores:
            _stores[key] = Store(Path(path))
        return _stores[key]
