"""The openai provider against a real OpenAI-compatible HTTP server on 127.0.0.1, through the real SDK."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from text_to_manim import config
from text_to_manim.events import ReasoningDelta
from text_to_manim.generate import providers
from text_to_manim.generate.providers import OpenAIProvider, Retrying, TextDelta, ThinkSplitter

from .llm_server import Reply, ScriptedLLM

MESSAGES = [{"role": "system", "content": "sys"}, {"role": "user", "content": "hello"}]


def _settings(base_url: str, key: str = "sk-test-123", model: str = "scripted-model") -> config.Settings:
    return config.Settings(provider="openai", base_url=base_url, api_key=key, model=model)


def _collect(provider, messages=MESSAGES, cancel=None):
    reasoning, text, retries = [], [], []
    for d in provider.stream(messages, cancel):
        if isinstance(d, ReasoningDelta):
            reasoning.append(d.text)
        elif isinstance(d, TextDelta):
            text.append(d.text)
        elif isinstance(d, Retrying):
            retries.append(d)
    return "".join(reasoning), "".join(text), retries


@pytest.fixture
def llm():
    with ScriptedLLM() as server:
        yield server


def test_reasoning_content_streams_before_the_answer(llm):
    llm.push(Reply(reasoning="First I think about circles.", content="## Code\n```python\nx = 1\n```\n",
                   chunk_size=5))
    kinds = []
    p = OpenAIProvider(_settings(llm.base_url))
    for d in p.stream(MESSAGES):
        kinds.append(type(d).__name__)
    assert kinds[0] == "ReasoningDelta" and kinds[-1] == "TextDelta"
    assert kinds.count("ReasoningDelta") >= 5  # streamed in pieces, not at the end
    llm.push(Reply(reasoning="again", content="ok"))
    reasoning, text, _ = _collect(OpenAIProvider(_settings(llm.base_url)))
    assert reasoning == "again" and text == "ok"
    body = llm.requests[0]
    assert body["stream"] is True and body["model"] == "scripted-model" and body["messages"] == MESSAGES
    assert llm.headers[0]["authorization"] == "Bearer sk-test-123"


def test_think_tags_in_content_become_reasoning(llm):
    llm.push(Reply(content="<think>Let me plan the scene.\nTwo steps.</think>\n## Code\n```python\nprint(1)\n```",
                   chunk_size=3))  # 3-character chunks split the tags themselves
    reasoning, text, _ = _collect(OpenAIProvider(_settings(llm.base_url)))
    assert reasoning == "Let me plan the scene.\nTwo steps."
    assert "<think>" not in text and "</think>" not in text
    assert text.strip().startswith("## Code")


def test_think_splitter_across_arbitrary_chunks():
    src = "a<think>b</think>c<thi"
    for size in range(1, len(src) + 1):
        s = ThinkSplitter()
        out = []
        for i in range(0, len(src), size):
            out += s.feed(src[i:i + size])
        out += s.flush()
        text = "".join(t for k, t in out if k == "text")
        reasoning = "".join(t for k, t in out if k == "reasoning")
        assert (text, reasoning) == ("ac<thi", "b"), size


def test_401_says_which_key_and_where(llm, monkeypatch):
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-bad")
    llm.push(Reply(status=401, error="Authentication Fails (invalid key)"))
    with pytest.raises(providers.AuthError) as err:
        _collect(OpenAIProvider(_settings(llm.base_url, key="sk-bad")))
    msg = str(err.value)
    assert "DEEPSEEK_API_KEY" in msg and "401" in msg and "--provider offline" in msg
    assert "sk-bad" not in msg  # never echo the key


def test_404_model_names_the_model(llm):
    llm.push(Reply(status=404, error="Model Not Exist"))
    with pytest.raises(providers.ModelNotFound) as err:
        _collect(OpenAIProvider(_settings(llm.base_url, model="no-such-model")))
    assert "no-such-model" in str(err.value) and "LLM_MODEL" in str(err.value)


def test_429_then_success_retries_with_backoff(llm):
    llm.push(Reply(status=429, error="Rate limit reached", headers={"retry-after": "0.2"}),
             Reply(status=503, error="overloaded"),
             Reply(content="fine"))
    p = OpenAIProvider(_settings(llm.base_url), backoff=0.05)
    t = time.monotonic()
    _, text, retries = _collect(p)
    assert text == "fine"
    assert [r.attempt for r in retries] == [1, 2]
    assert "429" in retries[0].reason and retries[0].wait == pytest.approx(0.2)
    assert "503" in retries[1].reason
    assert time.monotonic() - t >= 0.2
    assert len(llm.requests) == 3


def test_429_forever_gives_up_with_a_clear_error(llm):
    llm.push(*[Reply(status=429, error="slow down", headers={"retry-after": "0"}) for _ in range(4)])
    with pytest.raises(providers.RateLimited) as err:
        _collect(OpenAIProvider(_settings(llm.base_url), attempts=4, backoff=0))
    assert "429" in str(err.value)
    assert len(llm.requests) == 4


def test_connection_refused_is_explained():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(providers.Unreachable) as err:
        _collect(OpenAIProvider(_settings(f"http://127.0.0.1:{port}/v1")))
    assert "connection refused" in str(err.value) and "LLM_BASE_URL" in str(err.value)


def test_stream_cut_midway_keeps_what_arrived(llm):
    content = "## Code\n```python\nfrom manim import *\nclass A(Scene):\n    def construct(self):\n        pass\n"
    llm.push(Reply(reasoning="thinking", content=content, chunk_size=8, cut_after=6))
    got = []
    with pytest.raises(providers.StreamCut) as err:
        for d in OpenAIProvider(_settings(llm.base_url)).stream(MESSAGES):
            got.append(d)
    text = "".join(d.text for d in got if isinstance(d, TextDelta))
    assert text and content.startswith(text) and len(text) < len(content)
    assert err.value.text == text
    assert "cut off" in str(err.value)


def test_missing_key_fails_before_any_request():
    with pytest.raises(providers.AuthError) as err:
        _collect(OpenAIProvider(_settings("https://api.deepseek.com", key="")))
    assert "DEEPSEEK_API_KEY" in str(err.value)


def test_a_local_server_needs_no_key(llm):
    llm.push(Reply(content="hi"))
    assert _collect(OpenAIProvider(_settings(llm.base_url, key="")))[1] == "hi"
    assert llm.headers[0]["authorization"] == "Bearer no-key"


def test_cancel_stops_the_stream(llm):
    llm.push(Reply(content="x" * 400, chunk_size=4, delay=0.01))
    cancel = threading.Event()
    n = 0
    with pytest.raises(providers.Cancelled):
        for d in OpenAIProvider(_settings(llm.base_url)).stream(MESSAGES, cancel):
            n += 1
            if n == 5:
                cancel.set()
    assert n < 20


def test_key_source_names_the_variable(monkeypatch):
    monkeypatch.delenv("LLM_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-abc")
    assert providers.key_source(_settings("http://x", key="sk-abc")).startswith("DEEPSEEK_API_KEY")
    assert "Settings" in providers.key_source(_settings("http://x", key="sk-other"))


# ------------------------------------------------------------------------------- one Provider shape
def test_the_offline_provider_streams_in_the_shape_every_provider_has():
    """The pipeline can hand chat messages to either provider: same `stream` parameters, same deltas, and a
    set cancel stops it."""
    import inspect

    from text_to_manim.generate.offline import OfflineProvider

    shape = [(p.name, p.kind) for p in inspect.signature(providers.Provider.stream).parameters.values()]
    for cls in (OpenAIProvider, OfflineProvider):
        assert [(p.name, p.kind) for p in inspect.signature(cls.stream).parameters.values()] == shape, cls
    ask = [{"role": "system", "content": "sys"}, {"role": "user", "content": "animate k-means with 4 clusters"}]
    reasoning, text, retries = _collect(OfflineProvider(), ask)
    assert "matched 'kmeans'" in reasoning and "K=4 from '4 clusters'" in reasoning
    assert text.startswith("## Code\n```python\n") and "class " in text and not retries
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(providers.Cancelled):
        _collect(OfflineProvider(), ask, cancel)


@pytest.mark.parametrize("url,local", [
    ("http://127.0.0.1:11434/v1", True), ("http://127.0.0.2:8000/v1", True), ("http://localhost:1234/v1", True),
    ("http://[::1]:8000/v1", True), ("http://box.local:8000/v1", True), ("https://api.deepseek.com", False),
    ("https://api.openai.com/v1", False), ("http://127.0.0.1.evil.example/v1", False),
])
def test_the_key_check_and_the_apps_settings_agree_on_local_servers(url, local):
    """A local server needs no key (the provider does not ask) and the app fills in a placeholder for it
    rather than falling back to the offline gallery; anything else needs a real key."""
    from text_to_manim.web.views import OPENAI_COMPAT, session_settings

    assert providers.needs_key(_settings(url, key="")) is not local
    chosen = session_settings(config.Settings(provider="openai", base_url="https://api.deepseek.com", api_key=""),
                              OPENAI_COMPAT, model="m", base_url=url)
    assert (chosen.provider, chosen.api_key) == (("openai", "local") if local else ("offline", ""))
