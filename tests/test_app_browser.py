"""The app in a real browser: Debian's headless chromium driven by Playwright (Python, sync API).

A person types a prompt and sees the thinking bubble, a <video> whose source is fetchable and a real video
(PyAV decodes the bytes the page points at), the notes with KaTeX-rendered math, and a download that
saves a real file; the finished page is saved as documentation/screenshots/app.png. With the app's
Settings pointed at a scripted OpenAI-compatible server, the reasoning shows in the thinking bubble
before any code does.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.app_fixtures import (  # noqa: F401  (pytest fixtures)
    SCREENSHOTS,
    SCRIPTED_REASONING,
    app_settings,
    app_url,
    browser,
    launched,
    make_settings,
    scripted_answer,
)
from tests.llm_server import ScriptedLLM
from tests.video import probe

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(600)]

PROMPT = "Animate k-means clustering on three blobs"  # offline: matches the curated k-means scene and its notes


def _open(browser, url):
    page = browser.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.wait_for_selector("#t2m-prompt textarea")
    return page


def _wait_done(page, timeout_s: float = 300) -> str:
    page.wait_for_function(
        """() => { const t = document.querySelector('#t2m-progress')?.innerText || '';
                   return /Done|Failed|Cancelled/.test(t); }""", timeout=timeout_s * 1000)
    return page.inner_text("#t2m-progress")


def test_prompt_thinking_video_notes_download_and_screenshot(browser, app_url, tmp_path):
    page = _open(browser, app_url)
    t0 = time.monotonic()
    page.fill("#t2m-prompt textarea", PROMPT)
    page.keyboard.press("Enter")
    # the person's message at once, then a Thinking bubble with the streamed reasoning
    page.locator("#t2m-chat [data-testid='user']", has_text="k-means").first.wait_for()
    thinking = page.locator("#t2m-chat .thought-group .title", has_text="Thinking").first
    thinking.wait_for(timeout=120_000)
    t_thinking = time.monotonic() - t0
    # the last frame shows as soon as the scene graph validates, before the video exists
    page.wait_for_selector("#t2m-preview img", timeout=180_000)
    assert page.locator("#t2m-video video").count() == 0
    page.wait_for_selector("#t2m-progress :text('Rendering animation')", timeout=60_000)
    status = _wait_done(page)
    t_done = time.monotonic() - t0
    assert "Done" in status, page.inner_text("#t2m-chat")

    # the <video> has a source the browser can fetch, and the bytes are a real video
    video = page.locator("#t2m-video video")
    video.wait_for()
    src = video.get_attribute("src")
    assert src and "/gradio_api/file=" in src
    resp = page.request.get(src)
    assert resp.ok, resp.status
    local = tmp_path / "from_page.mp4"
    local.write_bytes(resp.body())
    facts = probe(local)
    assert facts.frames > 5 and facts.duration > 0.5 and facts.nonblank()
    # ... and the browser itself can play it
    can_play = page.evaluate("() => document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.42E01E\"')")
    if can_play:
        page.wait_for_function("() => { const v = document.querySelector('#t2m-video video');"
                               " return v && v.readyState >= 1 && v.duration > 0; }", timeout=30_000)

    # the notes: Markdown with math rendered by KaTeX
    page.get_by_role("tab", name="Notes").click()
    page.wait_for_selector("#t2m-notes .katex", timeout=30_000)
    assert page.locator("#t2m-notes .katex").count() >= 1
    assert len(page.inner_text("#t2m-notes")) > 100

    # a download saves a real file
    page.get_by_role("tab", name="Downloads").click()
    links = page.locator("#t2m-files a[download]")
    links.first.wait_for()
    names = [links.nth(i).get_attribute("download") for i in range(links.count())]
    assert any(n.endswith(".mp4") for n in names) and "scene.py" in names, names
    with page.expect_download() as dl:
        page.locator("#t2m-files a[download='scene.py']").click()
    saved = tmp_path / "scene.py"
    dl.value.save_as(saved)
    assert "from manim import" in saved.read_text(encoding="utf-8")

    # the finished page, for the README
    page.get_by_role("tab", name="Notes").click()
    page.evaluate("() => { const v = document.querySelector('#t2m-video video'); if (v && v.duration) "
                  "{ v.pause(); v.currentTime = v.duration * 0.9; } }")
    page.evaluate("() => window.scrollTo(0, 0)")
    time.sleep(1.0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "app.png"), full_page=True)
    print(f"browser: thinking bubble after {t_thinking:.1f} s, done after {t_done:.1f} s")

    # the Gallery tab: every curated scene as a card; k-means now has its picture, and one click plays the
    # render that already exists (same code, quality and format: the pipeline's result cache) with its notes
    page.get_by_role("tab", name="Gallery").click()
    cards = page.locator(".t2m-card")
    cards.first.wait_for()
    assert cards.count() >= 4
    kmeans = page.locator("#t2m-card-kmeans")
    kmeans.locator("img.t2m-card-img").wait_for()
    t1 = time.monotonic()
    kmeans.get_by_role("button").click()
    page.wait_for_selector("#t2m-chat :text('from the result cache')", timeout=30_000)
    assert page.get_by_role("tab", name="Create").get_attribute("aria-selected") == "true"
    page.wait_for_function("(src) => { const v = document.querySelector('#t2m-video video');"
                           " return v && v.src && v.src !== src; }", arg=src)
    assert time.monotonic() - t1 < 15
    again = page.request.get(page.locator("#t2m-video video").get_attribute("src"))
    assert again.ok and again.body() == local.read_bytes()  # the very video rendered before
    page.close()


OBSERVER = """() => {
  window.__t2m = {reasoning: null, code: null};
  const chat = document.querySelector('#t2m-chat');
  const check = () => {
    const text = chat.innerText;
    const now = performance.now();
    if (window.__t2m.reasoning === null && text.includes('REASONING-MARKER')) window.__t2m.reasoning = now;
    if (window.__t2m.code === null && text.includes('class ScriptedParabola')) window.__t2m.code = now;
  };
  new MutationObserver(check).observe(chat, {subtree: true, childList: true, characterData: true});
}"""


def test_scripted_server_reasoning_shows_before_code(browser, app_url):
    key = "sk-test-browser-0123456789"
    with ScriptedLLM([scripted_answer(delay=0.04) for _ in range(8)]) as llm:
        page = _open(browser, app_url)
        page.get_by_role("tab", name="Settings").click()
        page.locator("#t2m-provider input").click()
        page.get_by_role("option", name="OpenAI-compatible").click()
        page.locator("#t2m-base-url textarea, #t2m-base-url input").first.fill(llm.base_url)
        page.locator("#t2m-model textarea, #t2m-model input").first.fill("scripted-model")
        page.locator("#t2m-api-key input").fill(key)
        page.locator("#t2m-api-key input").press("Tab")
        # the banner follows each field as it changes: wait for the last one (the key)
        page.wait_for_function("() => document.querySelector('#t2m-banner').innerText.includes('this browser session')")
        assert "OpenAI-compatible" in page.inner_text("#t2m-banner")
        page.get_by_role("tab", name="Create").click()
        page.evaluate(OBSERVER)
        page.fill("#t2m-prompt textarea", "Plot the parabola y = x^2")
        page.keyboard.press("Enter")
        status = _wait_done(page, 240)
        marks = page.evaluate("() => window.__t2m")
        chat = page.inner_text("#t2m-chat")
        assert "Done" in status, chat
        assert marks["reasoning"] is not None, "the reasoning never appeared in the chat"
        assert marks["code"] is not None, "the code never appeared in the chat"
        assert marks["reasoning"] < marks["code"], marks
        page.locator("#t2m-chat .thought-group .title", has_text="Thinking").first.click()  # open the bubble
        assert SCRIPTED_REASONING.strip()[:40] in page.inner_text("#t2m-chat")
        # the thinking bubble holds the reasoning; the key went to the server, never to the page
        assert llm.headers and llm.headers[-1].get("authorization") == f"Bearer {key}"
        assert llm.requests[-1]["model"] == "scripted-model"
        assert key not in page.content()
        print(f"reasoning shown {marks['code'] - marks['reasoning']:.0f} ms before the code")
        page.close()


def test_render_edited_code_then_reopen_it_from_history(browser, app_url):
    code = (Path(__file__).parent / "data" / "scene_basic.py").read_text(encoding="utf-8")
    code = code.replace("class Basic(Scene):", "class EditedByHand(Scene):")
    page = _open(browser, app_url)
    page.get_by_role("tab", name="Code").click()
    page.locator("#t2m-code .cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)  # what a person pasting a scene does
    page.click("#t2m-render-code")
    assert "Done" in _wait_done(page, 180), page.inner_text("#t2m-chat")
    assert "Render this code" in page.inner_text("#t2m-chat")
    first_src = page.locator("#t2m-video video").get_attribute("src")
    assert first_src and first_src.endswith("EditedByHand.mp4")

    # History: newest first, with status and kind; a click reopens the job's artifacts in the main view
    page.click("#t2m-new") if page.locator("#t2m-new").count() else None
    page.get_by_role("tab", name="History").click()
    first_row = page.locator("#t2m-history [data-testid='cell-0-1']")
    first_row.wait_for()
    assert page.inner_text("#t2m-history [data-testid='cell-0-1']").strip() == "ok"
    assert page.inner_text("#t2m-history [data-testid='cell-0-2']").strip() == "code"
    page.locator("#t2m-history [data-testid='cell-0-3']").click()
    page.wait_for_selector("#t2m-chat :text('Reopened job')")
    assert page.get_by_role("tab", name="Create").get_attribute("aria-selected") == "true"
    page.wait_for_function("() => (document.querySelector('#t2m-video video')?.src || '').endsWith('EditedByHand.mp4')")
    page.get_by_role("tab", name="Code").click()
    assert "EditedByHand" in page.inner_text("#t2m-code")
    page.close()


def _progress_until(page, pattern: str, timeout_s: float, other=None) -> str:
    """Poll the progress line until it matches; on timeout say what it (and the other page) showed."""
    import re

    end, seen = time.monotonic() + timeout_s, []
    while time.monotonic() < end:
        text = page.inner_text("#t2m-progress")
        seen.append(text)
        if re.search(pattern, text):
            return text
        time.sleep(0.3)
    raise AssertionError(f"progress never matched {pattern!r}: last {seen[-3:]}; other page: "
                         f"{other.inner_text('#t2m-progress') if other else ''!r}")


def test_a_second_person_sees_their_place_in_the_queue(browser, tmp_path):
    with launched(make_settings(tmp_path / "media", render_concurrency=1)) as url:
        first, second = _open(browser, url), _open(browser, url)
        first.fill("#t2m-prompt textarea", PROMPT)
        first.keyboard.press("Enter")
        first.locator("#t2m-chat .thought-group .title", has_text="Thinking").first.wait_for(timeout=60_000)
        second.fill("#t2m-prompt textarea", PROMPT)
        second.keyboard.press("Enter")
        _progress_until(second, r"Queued: yours is next \(1 rendering now\)", 30, other=first)
        # the waiting job leaves the queue on Cancel; the running one is stopped
        second.click("#t2m-cancel")
        first.click("#t2m-cancel")
        assert "Cancelled" in _progress_until(first, "Done|Failed|Cancelled", 60, other=second)
        _progress_until(second, r"^(?![\s\S]*Queued)", 30, other=first)
        first.close()
        second.close()
