"""Fixtures for the app tests: the real Gradio app launched on a free 127.0.0.1 port, a gradio_client
for it, and Debian's headless chromium through Playwright. Import what you need into a test module:

    from tests.app_fixtures import app_settings, app_url, client  # noqa: F401  (pytest fixtures)
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import pytest

from text_to_manim import config

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("T2M_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]
SCREENSHOTS = ROOT / "documentation" / "screenshots"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_settings(media_dir: Path, **overrides) -> config.Settings:
    """Offline settings whose jobs and history live in `media_dir`; fast -ql renders."""
    base = dict(media_dir=media_dir, db_path=media_dir / "history.sqlite3", provider="offline", api_key="",
                quality="l", format="mp4", render_concurrency=2, max_repair_rounds=2)
    base.update(overrides)
    return config.load(**base)


@contextlib.contextmanager
def launched(settings: config.Settings, port: Optional[int] = None, host: str = "127.0.0.1",
             demo_out: Optional[list] = None) -> Iterator[str]:
    """The real app (app.build_app) served on `host` (a loopback address; any but 127.0.0.1 plays a server
    reachable beyond this machine); yields its URL and closes it afterwards. `demo_out` receives the Blocks."""
    import app as app_module

    demo = app_module.build_app(settings)
    port = port or free_port()
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=True, quiet=True, share=False)
    if demo_out is not None:
        demo_out.append(demo)
    try:
        yield f"http://{host}:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory) -> config.Settings:
    return make_settings(tmp_path_factory.mktemp("app-media"))


@pytest.fixture(scope="module")
def app_url(app_settings) -> Iterator[str]:
    with launched(app_settings) as url:
        yield url


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False, download_files=tempfile.mkdtemp(prefix="t2m-client-"))


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium driven by Playwright (no `playwright install`: the system browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="t2m-chromium-")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1500, "height": 1000}, accept_downloads=True)
        try:
            yield ctx
        finally:
            ctx.close()
            shutil.rmtree(profile, ignore_errors=True)


# --- helpers for reading the app's outputs as gradio_client returns them --------------------------------
def value_of(out):
    """A gr.update dict -> its value; anything else as is."""
    if isinstance(out, dict) and out.get("__type__") == "update":
        return out.get("value")
    return out


def video_path(out) -> Optional[str]:
    v = value_of(out)
    if isinstance(v, dict):
        v = v.get("video") or v.get("path")
        if isinstance(v, dict):
            v = v.get("path")
    return v or None


def chat_text(messages) -> str:
    """All the chat's text (titles and contents), for assertions."""
    parts = []
    for m in messages or []:
        meta = m.get("metadata") or {}
        if meta.get("title"):
            parts.append(str(meta["title"]))
        c = m.get("content")
        if isinstance(c, list):
            parts += [x.get("text", "") for x in c if isinstance(x, dict)]
        elif isinstance(c, str):
            parts.append(c)
    return "\n".join(parts)


def wait_for(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = predicate()
        if v:
            return v
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


# --- a scripted model for the app tests -------------------------------------------------------------------
SCRIPTED_REASONING = ("REASONING-MARKER: the parabola y = x^2 is the simplest curve to show; I will draw axes, "
                      "write the formula, then plot the curve and label it. ")
SCRIPTED_CODE = (ROOT / "tests" / "data" / "scene_basic.py").read_text(encoding="utf-8").replace(
    "class Basic(Scene):", "class ScriptedParabola(Scene):")
SCRIPTED_NOTES = ("# The parabola\n\nThe curve $y = x^2$ is symmetric about the $y$-axis, and\n\n"
                  "$$\\int_0^1 x^2\\,dx = \\frac{1}{3}.$$\n\nIts vertex is at the origin.\n")


def scripted_answer(delay: float = 0.03):
    """A script entry for tests/llm_server.ScriptedLLM answering every call the pipeline makes: anchor
    calls get the formula, generation calls stream reasoning slowly, then the code and notes."""
    from tests.llm_server import Reply
    from text_to_manim.generate import prompts

    def answer(body: dict):
        system = next((m.get("content", "") for m in body.get("messages", []) if m.get("role") == "system"), "")
        if system.startswith(prompts.ANCHOR_SYSTEM[:40]):
            return Reply(content="$$f(x) = x^2$$")
        content = (f"{prompts.CODE_HEADING}\n```python\n{SCRIPTED_CODE}```\n{prompts.NOTES_HEADING}\n"
                   f"{SCRIPTED_NOTES}")
        return Reply(reasoning=SCRIPTED_REASONING * 3, content=content, chunk_size=12, delay=delay)

    return answer
