"""Job history in a real SQLite file: migrations, rounds, interrupted jobs."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time

from tests.conftest import ROOT
from text_to_manim import config, store
from text_to_manim.store import MIGRATIONS, Store


def test_fresh_database_runs_every_migration_once(tmp_path):
    db = tmp_path / "h.sqlite3"
    s = Store(db)
    assert s.version() == len(MIGRATIONS)
    Store(db)  # reopening applies nothing twice
    rows = sqlite3.connect(db).execute("SELECT version FROM migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))


def test_old_database_is_upgraded_in_place(tmp_path):
    db_path = tmp_path / "h.sqlite3"
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied REAL NOT NULL)")
    MIGRATIONS[0](db)
    db.execute("INSERT INTO migrations VALUES (1, 0)")
    db.execute("INSERT INTO jobs(id, created, status, prompt) VALUES ('old', 1, 'ok', 'a circle')")
    db.close()
    s = Store(db_path)
    assert s.version() == len(MIGRATIONS)
    row = s.get("old")
    assert row["prompt"] == "a circle" and row["kind"] == "prompt"  # migration 2's column, defaulted


def test_job_row_lifecycle(tmp_path):
    s = Store(tmp_path / "h.sqlite3")
    settings = config.Settings(provider="openai", api_key="sk-never-stored")
    s.start("j1", prompt="a square", provider="openai", model="m", settings_public=settings.public(),
            job_dir=str(tmp_path))
    s.add_round("j1", {"round": 0, "code": "x = 1", "errors": [{"stage": "validate", "message": "boom"}]})
    s.add_round("j1", {"round": 1, "code": "x = 2", "errors": []})
    s.finish("j1", status="ok", errors=[], fixes=[{"what": "ShowCreation -> Create", "line": 3}],
             timings={"render": 1.5}, artifacts={"video": "/v.mp4"}, final_code="x = 2")
    row = s.get("j1")
    assert row["status"] == "ok" and [r["round"] for r in row["rounds"]] == [0, 1]
    assert row["settings"]["api_key_set"] is True and "api_key" not in row["settings"]
    assert row["artifacts"]["video"] == "/v.mp4" and row["timings"]["render"] == 1.5
    assert b"sk-never-stored" not in (tmp_path / "h.sqlite3").read_bytes()
    assert s.recent(5)[0]["id"] == "j1"


def test_a_running_row_of_a_dead_process_becomes_interrupted(tmp_path):
    db = tmp_path / "h.sqlite3"
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from text_to_manim.store import Store
        s = Store({str(db)!r})
        s.start("crashed", prompt="p", provider="offline", model="", settings_public={{}}, job_dir="")
        s.add_round("crashed", {{"round": 0, "code": "x"}})
        os._exit(137)  # dies mid-job, like a kill -9
    """)
    assert subprocess.run([sys.executable, "-c", script]).returncode == 137
    s = Store(db)
    s.start("alive", prompt="p", provider="offline", model="", settings_public={}, job_dir="")
    again = Store(db)  # a second open in this (live) process must not touch our own running job
    assert s.interrupted == 1 and again.interrupted == 0
    row = s.get("crashed")
    assert row["status"] == "interrupted" and row["rounds"][0]["code"] == "x" and row["finished"]
    assert s.get("alive")["status"] == "running"


def test_open_store_is_shared_per_path(tmp_path):
    assert store.open_store(tmp_path / "a.db") is store.open_store(tmp_path / "a.db")


def test_each_owner_sees_their_own_jobs_and_the_cli_sees_all(tmp_path):
    s = Store(tmp_path / "h.sqlite3")
    for jid, owner in (("a1", "alice"), ("b1", "bob"), ("cli", None), ("a2", "alice")):
        s.start(jid, prompt=jid, provider="offline", model="", settings_public={}, job_dir=str(tmp_path / jid),
                owner=owner)
    assert [j["id"] for j in s.recent(10, owner="alice")] == ["a2", "a1"]
    assert [j["id"] for j in s.recent(10, owner="bob")] == ["b1"]
    assert [j["id"] for j in s.recent(10, owner="nobody")] == []
    assert {j["id"] for j in s.recent(10)} == {"a1", "b1", "cli", "a2"}  # the CLI's view: every local job
    s.mark_pruned([str(tmp_path / "a1")])
    assert s.get("a1")["pruned"] and not s.get("a2")["pruned"]


def _lock(db) -> subprocess.Popen:
    """Another process holding the database's write lock until its stdin closes."""
    locker = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys
        db = sqlite3.connect({str(db)!r}, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert locker.stdout.readline().strip() == "locked"
    return locker


def test_writes_wait_in_order_while_another_process_locks_the_database(tmp_path):
    db = tmp_path / "h.sqlite3"
    s = Store(db)
    locker = _lock(db)
    try:
        s.start("j", prompt="p", provider="offline", model="", settings_public={}, job_dir=str(tmp_path / "j"))
        s.add_round("j", {"round": 0, "code": "x"})
        assert str(tmp_path / "j") in s.live_job_dirs()  # its row is not written, yet it counts as running
        s.finish("j", status="ok", errors=[], fixes=[], timings={}, artifacts={})
        assert s.pending() == 4 and "locked" in s.busy  # start, round, finish, the history bound's pruning
    finally:
        locker.stdin.close()
        locker.wait(timeout=10)
    assert s.flush(wait=10)
    row = s.get("j")
    assert row["status"] == "ok" and row["rounds"] == [{"round": 0, "code": "x"}] and s.busy == ""


def test_opening_a_locked_database_does_not_wait_and_marks_dead_jobs_once_it_can(tmp_path):
    db = tmp_path / "h.sqlite3"
    Store(db).start("dead", prompt="p", provider="offline", model="", settings_public={}, job_dir="")
    sqlite3.connect(db, isolation_level=None).execute("UPDATE jobs SET pid=1, proc_start='0' WHERE id='dead'")
    locker = _lock(db)
    try:
        t0 = time.monotonic()
        s = Store(db)  # a restarted app while, say, a backup holds the database
        assert time.monotonic() - t0 < 5 and s.interrupted == 1 and s.pending() == 1
        assert s.get("dead")["status"] == "running"  # not written yet ...
    finally:
        locker.stdin.close()
        locker.wait(timeout=10)
    assert s.flush(wait=10) and s.get("dead")["status"] == "interrupted"  # ... and then it is


def test_the_history_is_bounded_in_all_and_per_visitor_and_never_drops_a_running_job(tmp_path):
    s = Store(tmp_path / "h.sqlite3", max_jobs=4, max_per_owner=2)
    s.start("running", prompt="still rendering", provider="offline", model="", settings_public={}, job_dir="d",
            owner="alice")
    for i in range(5):  # alice floods: only her newest two finished jobs stay, and the running one
        s.start(f"a{i}", prompt=f"a{i}", provider="offline", model="", settings_public={}, job_dir="d", owner="alice")
        s.finish(f"a{i}", status="ok", errors=[], fixes=[], timings={}, artifacts={})
    s.start("bob", prompt="bob's", provider="offline", model="", settings_public={}, job_dir="d", owner="bob")
    s.finish("bob", status="ok", errors=[], fixes=[], timings={}, artifacts={})
    assert [j["id"] for j in s.recent(owner="alice")] == ["a4", "a3", "running"]
    assert [j["id"] for j in s.recent(owner="bob")] == ["bob"]  # alice's flood did not push bob's job out
    for i in range(3):  # CLI jobs (no owner) count towards the bound in all only
        s.start(f"cli{i}", prompt="cli", provider="offline", model="", settings_public={}, job_dir="d")
        s.finish(f"cli{i}", status="failed", errors=[], fixes=[], timings={}, artifacts={})
    assert [j["id"] for j in s.recent()] == ["cli2", "cli1", "cli0", "bob", "running"]
