"""Faults, injected into the real app: the model server dies mid-stream; a render process is killed; the job
folders fill their size bound; the app is killed mid-job and started again; the history database is locked
by another process. Each time: a clear message, the app keeps answering, nothing already saved is lost."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.app_fixtures import chat_text, launched, make_settings, value_of, wait_for
from tests.load_driver import start_app, stop_app, tiny_scene, visitor
from text_to_manim import store
from text_to_manim.web.access import COOKIE
from text_to_manim.web.disk_bounds import GIB
from text_to_manim.web.views import OPENAI_COMPAT

ROOT = Path(__file__).resolve().parent.parent
LONG_RENDER = '''from manim import *


class Slow(Scene):
    def construct(self):
        sq = Square(color=GREEN)
        self.play(Create(sq))
        for i in range(14):
            self.play(sq.animate.rotate(PI / 5).shift(RIGHT * (0.3 if i % 2 else -0.3)), run_time=1)
'''


def _final(job, timeout: float = 300) -> dict:
    """The last chat and video of a finished job (parts a later update skipped keep their value)."""
    job.result(timeout=timeout)
    chat, video = None, None
    for o in job.outputs():
        c, v = value_of(o[0]), value_of(o[1])
        chat = c if c is not None else chat
        video = v if v else video
    return {"chat": chat, "text": chat_text(chat), "video": video}


def _history(client) -> list[list]:
    table, note = client.predict(api_name="/history")
    return [r for r in value_of(table)["data"] if r[-1]], value_of(note) or ""


def _wait_progress(job, needle: str, timeout: float = 180) -> None:
    def seen():
        return any(needle in str(value_of(o[3])) for o in job.outputs() if len(o) > 3)
    wait_for(seen, timeout, what=f"progress showing {needle!r}")


def _render_ok(client) -> dict:
    code, name = tiny_scene(7)
    res = _final(client.submit(code, name, api_name="/render_code"))
    assert "Done in" in res["text"] and res["video"], res["text"]
    return res


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("faults-media"), max_repair_rounds=0)
    with launched(settings) as url:
        yield settings, url


# --- 1. the model server dies mid-stream ------------------------------------------------------------------
LLM_CHILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from tests.llm_server import Reply, ScriptedLLM
    llm = ScriptedLLM([Reply(reasoning="thinking about parabolas " * 400, content="x", chunk_size=8,
                             delay=0.05) for _ in range(8)]).start()
    print(llm.port, flush=True)
    time.sleep(600)
""")


@pytest.mark.slow
def test_the_model_server_dying_mid_stream_is_a_clear_message(app):
    settings, url = app
    client = visitor(url)
    llm = subprocess.Popen([sys.executable, "-c", LLM_CHILD.format(root=str(ROOT))], stdout=subprocess.PIPE,
                           text=True, start_new_session=True)
    try:
        port = int(llm.stdout.readline())
        job = client.submit("Plot the parabola y = x^2", provider=OPENAI_COMPAT, model="scripted",
                            base_url=f"http://127.0.0.1:{port}/v1", api_key="sk-fault-0123456789", rounds=0,
                            api_name="/generate")
        wait_for(lambda: any("thinking about parabolas" in str(o[0]) for o in job.outputs()), 120,
                 what="the reasoning to stream")
    finally:
        os.killpg(llm.pid, signal.SIGKILL)  # the server process dies, mid-answer
        llm.wait(timeout=10)
    res = _final(job, timeout=180)
    text = res["text"]
    assert "cut off mid-way" in text or "Could not reach the model server" in text, text
    assert "This did not work" in text and not res["video"]
    assert "thinking about parabolas" in text  # what had arrived is still shown
    rows, _ = _history(client)
    assert rows[0][1] == "failed"
    jid = rows[0][-1]
    row = store.open_store(settings.db_path).get(jid)  # the job is recorded, with why it failed
    assert row["prompt"] == "Plot the parabola y = x^2" and row["message"]
    assert (settings.jobs_dir / jid / "request.json").is_file()
    _render_ok(client)  # the app keeps working


# --- 2. a render process is killed ------------------------------------------------------------------------
@pytest.mark.slow
def test_a_killed_render_process_is_a_clear_message_and_keeps_the_code_and_log(app):
    settings, url = app
    client = visitor(url)
    job = client.submit(LONG_RENDER, "Slow", api_name="/render_code")
    _wait_progress(job, "Rendering animation")
    jid = _history(client)[0][0][-1]
    job_dir = settings.jobs_dir / jid
    pids = subprocess.run(["pgrep", "-f", "--", f"{job_dir}/media/part"], capture_output=True,
                          text=True).stdout.split()
    # a warm worker's runs never name the job folder: the job's log names the worker
    pids += re.findall(r"warm worker: process (\d+)", (job_dir / "render.log").read_text())
    assert pids, "no render process of the job was found"
    for pid in pids:
        os.kill(int(pid), signal.SIGKILL)
    res = _final(job, timeout=180)
    assert "render process died" in res["text"] and "SIGKILL" in res["text"], res["text"]
    assert not res["video"]
    assert (job_dir / "scene.py").read_text() == LONG_RENDER and (job_dir / "render.log").read_text().strip()
    rows, _ = _history(client)
    assert rows[0][-1] == jid and rows[0][1] == "failed"
    _render_ok(client)


# --- 3. the job folders fill their size bound -------------------------------------------------------------
@pytest.mark.slow
def test_a_full_media_folder_prunes_the_oldest_finished_jobs_never_a_running_one(tmp_path):
    limit_bytes = 4 * 1024 * 1024
    settings = make_settings(tmp_path / "media", media_max_gb=limit_bytes / GIB)
    st = store.open_store(settings.db_path)
    with launched(settings) as url:
        client = visitor(url)
        _render_ok(client)
        (old_id,) = [r[-1] for r in _history(client)[0]]
        old_dir = settings.jobs_dir / old_id
        (old_dir / "older-videos.bin").write_bytes(os.urandom(5 * 1024 * 1024))
        # a job running in this process right now (say a CLI render), with files of its own
        running = settings.jobs_dir / "20990101-000000-running"
        running.mkdir(parents=True)
        (running / "part.bin").write_bytes(os.urandom(1024 * 1024))
        st.start("running-job", prompt="p", provider="offline", model="", settings_public={},
                 job_dir=str(running.resolve()))
        try:
            _render_ok(client)  # over the bound: the oldest finished job goes, the running one stays
            assert not old_dir.exists() and (running / "part.bin").is_file()
            rows, _ = _history(client)
            old_row = next(r for r in rows if r[-1] == old_id)
            assert "files removed (disk limit)" in old_row[1]  # its history row stays, saying so
            assert store.open_store(settings.db_path).get(old_id)["final_code"]  # the code is kept
            # the running job alone now fills the bound: a new job is refused in words, nothing is removed
            (running / "more.bin").write_bytes(os.urandom(limit_bytes))
            code, name = tiny_scene(8)
            res = _final(client.submit(code, name, api_name="/render_code"))
            assert "Not started." in res["text"] and "storage is full" in res["text"], res["text"]
            assert (running / "more.bin").is_file() and (running / "part.bin").is_file()
            assert _history(client)[0]  # still answering
        finally:
            st.finish("running-job", status="ok", errors=[], fixes=[], timings={}, artifacts={})


# --- 4. the app is stopped mid-job and started again ------------------------------------------------------
@pytest.mark.slow
def test_the_app_killed_mid_job_and_restarted_shows_the_job_interrupted(tmp_path):
    media = tmp_path / "media"
    app = start_app(media)
    try:
        alice = visitor(app.url)
        cookie = alice.cookies[COOKIE]
        saved = _render_ok(alice)
        job = alice.submit(LONG_RENDER, "Slow", api_name="/render_code")
        _wait_progress(job, "Rendering animation")
        stop_app(app, hard=True)  # kill -9 the app and everything it started, mid-render
    finally:
        stop_app(app, hard=True)
    app = start_app(media)
    try:
        again = visitor(app.url, cookie=cookie)  # the same browser after the restart
        rows, _ = _history(again)
        assert [r[1] for r in rows] == ["interrupted", "ok"], rows
        interrupted, ok = (media / "jobs" / rows[0][-1]), (media / "jobs" / rows[1][-1])
        assert (interrupted / "scene.py").read_text() == LONG_RENDER  # the code of the cut job is kept
        assert list(ok.glob("Client07.mp4")) and saved["video"]  # the finished job's video is kept
        assert _history(visitor(app.url))[0] == []  # a new visitor still sees nothing of hers
        _render_ok(again)
    finally:
        stop_app(app)


# --- 5. the history database is locked by another process -------------------------------------------------
LOCKER = textwrap.dedent("""
    import sqlite3, sys
    db = sqlite3.connect({db!r}, isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    db.execute("CREATE TABLE IF NOT EXISTS locker (x)")
    print("locked", flush=True)
    sys.stdin.read()  # hold the lock until the test closes our stdin
""")


@pytest.mark.slow
def test_a_locked_history_database_delays_history_writes_but_no_job(app):
    settings, url = app
    client = visitor(url)
    _render_ok(client)
    before, _ = _history(client)
    locker = subprocess.Popen([sys.executable, "-c", LOCKER.format(db=str(settings.db_path))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        with pytest.raises(sqlite3.OperationalError):  # it really is locked for writers
            sqlite3.connect(settings.db_path, timeout=0.2).execute("CREATE TABLE probe (x)")
        t0 = time.monotonic()
        res = _render_ok(client)  # the job runs and finishes all the same
        took = time.monotonic() - t0
        rows, note = _history(client)
        assert "locked by another process" in note and "not written yet" in note, note
        assert [r[-1] for r in rows] == [r[-1] for r in before]  # what was saved is still listed
    finally:
        locker.stdin.close()
        locker.wait(timeout=10)
    # the lock is gone: the queued rows land, the job shows as done, nothing lost
    def landed():
        rows, note = _history(client)
        return rows if len(rows) == len(before) + 1 and not note else None
    rows = wait_for(landed, 30, what="the queued history rows to be written")
    assert rows[0][1] == "ok" and res["video"]
    print(f"job while the history was locked: {took:.1f} s")
