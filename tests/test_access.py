"""Per-visitor access, piece by piece: the session cookie middleware, served copies and who may fetch them,
the job queue's per-visitor limit and order, and the disk bound (real files, a real history database)."""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

from text_to_manim import store
from text_to_manim.generate.providers import base_url_refusal
from text_to_manim.web import disk_bounds
from text_to_manim.web.access import (
    COOKIE,
    ServedFiles,
    SessionCookie,
    client_address,
    owner_of,
    token_from_cookie_header,
)
from text_to_manim.web.job_queue import JobQueue, Ticket


def _call(app, path: str = "/", cookie: str = "") -> tuple[dict, dict]:
    """One HTTP request through the ASGI app; (the scope the inner app saw, the response start message)."""
    seen, sent = {}, []

    async def inner(scope, receive, send):
        seen.update(scope)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "headers": [(b"cookie", cookie.encode())] if cookie else []}
    asyncio.run(SessionCookie(inner, served=app)(scope, None, send))
    return seen, sent[0]


def test_a_visitor_without_a_cookie_gets_a_random_one_that_this_request_already_carries(tmp_path):
    served = ServedFiles(tmp_path / "served", tmp_path / "jobs")
    seen, start = _call(served)
    set_cookie = dict(start["headers"])[b"set-cookie"].decode()
    token = set_cookie.split(";")[0].split("=", 1)[1]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and len(token) == 43
    assert token_from_cookie_header(dict(seen["headers"])[b"cookie"].decode()) == token
    again, start2 = _call(served, cookie=f"other=1; {COOKIE}={token}")
    assert b"set-cookie" not in dict(start2["headers"])  # a valid cookie is kept
    _, start3 = _call(served, cookie=f"{COOKIE}=short")  # a made-up value is replaced
    assert dict(start3["headers"])[b"set-cookie"] != set_cookie.encode()
    assert owner_of("short") is None and owner_of(token) != token


def test_served_copies_go_to_their_owner_only_and_never_follow_a_planted_link(tmp_path):
    jobs = tmp_path / "jobs"
    (jobs / "j1").mkdir(parents=True)
    (jobs / "j2").mkdir()
    video = jobs / "j1" / "S.mp4"
    video.write_bytes(b"alice's video")
    (jobs / "j2" / "secret.mp4").write_bytes(b"bob's video")
    os.symlink(jobs / "j2" / "secret.mp4", jobs / "j1" / "planted.mp4")  # a scene's trick in its own folder
    served = ServedFiles(tmp_path / "served", jobs)
    alice, bob = owner_of("a" * 43), owner_of("b" * 43)
    copy = served.serve(video, alice)
    assert Path(copy).read_bytes() == b"alice's video" and served.serve(video, alice) == copy
    assert served.serve(video, bob) != copy
    assert served.serve(jobs / "j1" / "planted.mp4", alice) is None
    assert served.serve(tmp_path / "elsewhere.txt", alice) is None
    url = f"/gradio_api/file={copy}"
    seen, start = _call(served, url, cookie=f"{COOKIE}={'a' * 43}")
    assert start["status"] == 200
    for cookie in (f"{COOKIE}={'b' * 43}", ""):
        seen, start = _call(served, url, cookie=cookie)
        assert start["status"] == 403 and not seen
    dotted = f"/gradio_api/file={tmp_path / 'served' / 'x' / '..' / Path(copy).relative_to(tmp_path / 'served')}"
    assert _call(served, dotted, cookie=f"{COOKIE}={'b' * 43}")[1]["status"] == 403
    served.forget_job(jobs / "j1")
    assert not Path(copy).exists()


def test_the_queue_keeps_order_and_limits_each_visitor():
    q = JobQueue(slots=1, per_owner=2)
    a1, a2 = q.enter("alice"), q.enter("alice")
    assert isinstance(a1, Ticket) and isinstance(a2, Ticket)
    assert "You already have 2 jobs queued or running" in q.enter("alice")
    b1 = q.enter("bob")
    assert isinstance(b1, Ticket)
    assert a1.try_start() and not a2.try_start() and not b1.try_start()
    assert (a2.position(), b1.position()) == (0, 1)
    a1.release()
    assert q.enter("alice") is not None  # a place freed up for alice
    b1.release()  # bob gave up while waiting
    assert a2.try_start() and q.stats() == (1, 1)


def test_a_lesson_holds_as_many_slots_as_scenes_it_renders_at_once():
    """Two visitors' lessons (each rendering 2 scenes at once) never run together on 2 slots; a single job
    waits behind a running lesson, and a lesson waits for the machine to be free."""
    q = JobQueue(slots=2, per_owner=2)
    lesson_a, lesson_b, single = q.enter("alice", weight=2), q.enter("bob", weight=2), q.enter("carol")
    assert lesson_a.try_start() and not lesson_b.try_start() and not single.try_start()
    lesson_a.release()
    assert lesson_b.try_start() and not single.try_start()
    lesson_b.release()
    assert single.try_start()
    late_lesson = q.enter("dave", weight=9)  # never more than all the slots: it can start once they are free
    assert not late_lesson.try_start()
    single.release()
    assert late_lesson.try_start() and late_lesson.weight == 2


def test_the_disk_bound_removes_the_oldest_finished_jobs_and_never_a_running_one(tmp_path, settings):
    s = settings.with_(media_max_gb=3 * 1024 * 1024 / disk_bounds.GIB)
    st = store.open_store(s.db_path)
    folders = []
    for i, name in enumerate(("20200101-old", "20200102-mid", "20200103-running", "20200104-new")):
        d = s.jobs_dir / name
        d.mkdir(parents=True)
        (d / "v.mp4").write_bytes(os.urandom(1024 * 1024))
        os.utime(d / "v.mp4", (1000 + i, 1000 + i))
        os.utime(d, (1000 + i, 1000 + i))
        st.start(name, prompt=name, provider="offline", model="", settings_public={}, job_dir=str(d.resolve()))
        if "running" not in name:
            st.finish(name, status="ok", errors=[], fixes=[], timings={}, artifacts={})
        folders.append(d)
    removed = []
    bound = disk_bounds.enforce(s, on_removed=removed.append)
    assert [Path(p).name for p in bound.removed] == ["20200101-old", "20200102-mid"] and not bound.full
    assert folders[2].is_dir() and folders[3].is_dir() and removed == folders[:2]
    assert st.get("20200101-old")["pruned"] and st.get("20200101-old")["prompt"] == "20200101-old"
    (folders[2] / "more.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    bound = disk_bounds.enforce(s)
    assert bound.full and "storage is full" in bound.message() and folders[2].is_dir()
    st.finish("20200103-running", status="ok", errors=[], fixes=[], timings={}, artifacts={})


def test_the_client_address_is_the_peer_unless_the_operator_trusts_a_proxy():
    assert client_address("127.0.0.1", "203.0.113.9") == "127.0.0.1"  # anyone can write the header
    assert client_address("127.0.0.1", "198.51.100.1, 203.0.113.9", trust_proxy=True) == "203.0.113.9"
    assert client_address("127.0.0.1", "", trust_proxy=True) == "127.0.0.1"


def test_a_base_url_is_taken_only_as_the_allow_list_writes_it():
    allowed = ["https://api.deepseek.com", "http://127.0.0.1:11434/v1"]
    assert base_url_refusal("https://api.deepseek.com/", allowed) is None
    assert base_url_refusal("https://API.deepseek.com:443", allowed) is None
    assert base_url_refusal("http://127.0.0.1:11434/v1/", allowed) is None
    for dressed_up in ("https://api.deepseek.com@169.254.169.254/", "https://api.deepseek.com.evil.test",
                       "https://api.deepseek.com/?x=1", "http://api.deepseek.com", "http://127.0.0.1:11435/v1",
                       "file:///etc/passwd", "not a url"):
        why = base_url_refusal(dressed_up, allowed)
        assert why and "T2M_ALLOWED_BASE_URLS" in why and "https://api.deepseek.com" in why, dressed_up
