"""The web layer's bounds, as an attacker or a second visitor would probe them, against the real app served on
127.0.0.2 (a loopback address other than 127.0.0.1: the app counts it as reachable beyond this machine) and
driven with gradio_client and raw HTTP:

- a visitor who drops cookies (a new session each time) is still one client: refused past the per-client bound;
- past the global bound a new job is refused at once with "busy, try again in …";
- Gradio's upload route refuses an oversized upload, and removes old uploads;
- the history keeps a visitor's newest jobs only;
- a page's state is its cookie's own: another visitor naming its session_hash cannot cancel its job;
- a visitor's Base URL off the operator's allow-list is refused, and that server never gets a request.

Jobs that must hold a place in the queue talk to a scripted model that streams slowly (no render, no CPU),
and are cancelled by their own visitor at the end of each test.
"""
from __future__ import annotations

import time
import uuid

import httpx
import pytest

from tests.app_fixtures import chat_text, launched, make_settings, value_of, wait_for
from tests.llm_server import Reply, ScriptedLLM
from text_to_manim import store
from text_to_manim.generate import prompts
from text_to_manim.web.access import COOKIE, owner_of
from text_to_manim.web.views import OPENAI_COMPAT

HOST = "127.0.0.2"
pytestmark = pytest.mark.slow  # each test drives the real app

PROMPT = "Plot the parabola y = x^2"
KEY = "sk-test-bounds-0123456789"
POLICY_VIOLATION = "from manim import *\nimport subprocess\n\nclass S(Scene):\n    def construct(self):\n        pass\n"


def _slow(body: dict) -> Reply:
    """The model: formulas at once, then a reasoning that streams for about a minute (the job holds its place)."""
    system = next((m.get("content", "") for m in body.get("messages", []) if m.get("role") == "system"), "")
    if system.startswith(prompts.ANCHOR_SYSTEM[:40]):
        return Reply(content="NONE")
    return Reply(reasoning="." * 600, content="no code", chunk_size=1, delay=0.1)


@pytest.fixture(scope="module")
def llm():
    with ScriptedLLM([_slow for _ in range(200)]) as server:
        yield server


@pytest.fixture(scope="module")
def served(tmp_path_factory, llm):
    settings = make_settings(tmp_path_factory.mktemp("bounds-media"), render_concurrency=1, max_repair_rounds=0,
                             max_jobs_per_session=2, max_jobs_per_client=2, max_queued_jobs=3, trust_proxy=True,
                             upload_max_mb=1, upload_max_age_s=3, history_max_per_visitor=2,
                             allowed_base_urls=(llm.base_url,))
    demos: list = []
    with launched(settings, host=HOST, demo_out=demos) as url:
        yield settings, url, demos[0].t2m_app


def _visitor(url: str, address: str = "127.0.0.9"):
    """A new gradio_client visitor (its own cookie) that the app sees as coming from `address` (the header the
    operator's proxy would set; the app trusts it here: T2M_TRUST_PROXY)."""
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False, headers={"X-Forwarded-For": address})


def _model(llm_url: str) -> dict:
    return dict(provider=OPENAI_COMPAT, model="scripted-model", base_url=llm_url, api_key=KEY, rounds=0)


def _first_chat(job, timeout: float = 20) -> str:
    """The chat of the job's first update (a refusal is the first and last)."""
    wait_for(lambda: job.outputs() or job.done(), timeout, what="the job's first update")
    outs = job.outputs()
    return chat_text(value_of(outs[0][0])) if outs else ""


def _hold(client, llm_url: str):
    """A job that holds a place (running or queued) until its visitor cancels it."""
    job = client.submit(PROMPT, api_name="/generate", **_model(llm_url))
    assert "Not started" not in _first_chat(job)
    return job


def _release(app, *clients) -> None:
    for c in clients:
        c.predict(api_name="/cancel")
    wait_for(lambda: app.queue.stats() == (0, 0), 60, what="an empty queue")


def test_dropping_cookies_does_not_pass_the_per_client_bound_nor_the_global_one(served, llm):
    settings, url, app = served
    a1, a2, a3 = (_visitor(url, "127.0.0.5") for _ in range(3))  # one client, a new cookie each time
    assert len({c.cookies[COOKIE] for c in (a1, a2, a3)}) == 3
    _hold(a1, llm.base_url)
    _hold(a2, llm.base_url)
    assert app.queue.stats() == (1, 1)
    refused = _first_chat(a3.submit(PROMPT, api_name="/generate", **_model(llm.base_url)))
    assert "Not started." in refused and "Your address already has 2 jobs queued or running" in refused, refused
    assert "T2M_MAX_JOBS_PER_CLIENT" in refused
    # another client still gets in, up to the global bound of 3; past it: busy, with when to come back
    b1, b2 = _visitor(url, "127.0.0.6"), _visitor(url, "127.0.0.6")
    _hold(b1, llm.base_url)
    busy = _first_chat(b2.submit(PROMPT, api_name="/generate", **_model(llm.base_url)))
    assert "Not started." in busy and "The server is busy: 3 jobs are queued or running" in busy, busy
    assert "try again in about" in busy and "T2M_MAX_QUEUED_JOBS" in busy
    assert app.queue.stats() == (1, 2)
    _release(app, a2, b1, a1)


def test_an_oversized_upload_is_refused_and_old_uploads_are_removed(served):
    settings, url, app = served
    with httpx.Client(base_url=url, timeout=60) as http:
        big = http.post("gradio_api/upload", files={"files": ("big.bin", b"\0" * (2 * 1024 * 1024))})
        assert big.status_code == 413 and "T2M_UPLOAD_MAX_MB" in big.text, (big.status_code, big.text[:200])
        small = http.post("gradio_api/upload", files={"files": ("small.txt", b"x" * 10_000)})
        assert small.status_code == 200, small.text[:200]
    from pathlib import Path

    kept = Path(small.json()[0])
    assert kept.is_file()
    wait_for(lambda: not kept.exists(), 30, what="the old upload to be removed (T2M_UPLOAD_MAX_AGE=3)")


def test_the_history_keeps_a_visitors_newest_jobs_only(served):
    settings, url, app = served
    c = _visitor(url, "127.0.0.7")
    for _ in range(3):  # refused by the safety policy at once: no render
        chat = chat_text(value_of(c.predict(POLICY_VIOLATION, "", api_name="/render_code")[0]))
        assert "safety policy refused" in chat.lower(), chat
    owner = owner_of(c.cookies[COOKIE])
    st = store.open_store(settings.db_path)
    wait_for(lambda: st.pending() == 0, 30, what="history writes")
    rows = [j for j in st.recent(limit=50) if j["owner"] == owner]
    assert len(rows) == 2, [(j["id"], j["status"]) for j in rows]  # T2M_HISTORY_MAX_PER_VISITOR=2
    table, _note = c.predict(api_name="/history")
    assert len([r for r in value_of(table)["data"] if r[-1]]) == 2


def test_another_visitor_naming_a_page_cannot_cancel_its_job(served, llm):
    settings, url, app = served
    alice, mallory = _visitor(url, "127.0.0.11"), _visitor(url, "127.0.0.12")
    _hold(alice, llm.base_url)
    st = store.open_store(settings.db_path)
    mine = owner_of(alice.cookies[COOKIE])

    def alice_status():
        st.flush()
        return next((j["status"] for j in st.recent(limit=20) if j["owner"] == mine), None)

    wait_for(lambda: alice_status() == "running", 30, what="alice's job to run")
    mallory.session_hash = alice.session_hash  # the page's state, its queue stream and its cancels
    with pytest.raises(httpx.HTTPStatusError, match="403"):
        mallory.predict(api_name="/cancel")
    with httpx.Client(base_url=url, cookies={COOKIE: mallory.cookies[COOKIE]}, timeout=30) as http:
        direct = http.post("gradio_api/cancel", json={"session_hash": alice.session_hash, "fn_index": 0,
                                                      "event_id": uuid.uuid4().hex})
        assert direct.status_code == 403 and "another session" in direct.text
        peek = http.get("gradio_api/queue/data", params={"session_hash": alice.session_hash})
        assert peek.status_code == 403
    time.sleep(2.0)
    assert alice_status() == "running" and app.queue.stats() == (1, 0)
    _release(app, alice)  # her own cancel still works
    wait_for(lambda: alice_status() == "cancelled", 30, what="alice's own cancel")


def test_a_base_url_off_the_allow_list_is_refused_beyond_loopback(served, llm):
    settings, url, app = served
    with ScriptedLLM([Reply(content="internal secrets") for _ in range(4)]) as internal:
        c = _visitor(url, "127.0.0.13")
        chat = chat_text(value_of(c.predict(PROMPT, api_name="/generate", **_model(internal.base_url))[0]))
        assert "Not started." in chat and "T2M_ALLOWED_BASE_URLS" in chat, chat
        assert internal.base_url in chat and llm.base_url in chat  # what was refused, and what is allowed
        assert internal.requests == []  # the server never called it
