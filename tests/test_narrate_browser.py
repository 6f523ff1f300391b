"""Narration in the app, in a real browser (headless chromium, Playwright): the Narrate button gives a video
whose player carries the caption track (a <track> whose WebVTT the browser loads and whose cues it shows),
and the captions are in the downloads; switched off in Settings, a voice-over scene plays silent."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_fixtures import app_settings, app_url, browser  # noqa: F401  (pytest fixtures)
from tests.test_app_browser import _open, _wait_done

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(600)]

DATA = Path(__file__).parent / "data"


def _paste(page, code: str) -> None:
    page.get_by_role("tab", name="Code").click()
    page.locator("#t2m-code .cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)


def test_narrate_button_shows_captions_on_the_player(browser, app_url):
    page = _open(browser, app_url)
    _paste(page, (DATA / "plain_scene.py").read_text(encoding="utf-8"))
    page.click("#t2m-narrate")
    assert "Done" in _wait_done(page, 300), page.inner_text("#t2m-chat")
    assert "Narrate this code" in page.inner_text("#t2m-chat")
    track = page.locator("#t2m-video video track")
    track.wait_for(state="attached", timeout=30_000)
    src = track.get_attribute("src")
    assert src, page.inner_html("#t2m-video")
    vtt = page.request.get(src if src.startswith("http") else page.url.rstrip("/") + src)
    assert vtt.ok and vtt.text().startswith("WEBVTT") and "We draw a circle." in vtt.text()
    # the browser parsed the track: its cues are there, and at 1.5 s the second one is the active cue
    page.wait_for_function("""() => { const v = document.querySelector('#t2m-video video');
        if (!v || !v.textTracks.length) return false;
        v.textTracks[0].mode = 'showing'; return v.textTracks[0].cues && v.textTracks[0].cues.length === 3; }""",
                           timeout=30_000)
    active = page.evaluate("""() => new Promise(done => { const v = document.querySelector('#t2m-video video');
        const t = v.textTracks[0]; v.pause();
        t.oncuechange = () => { if (t.activeCues.length) done(t.activeCues[0].text); };
        v.currentTime = 1.6; setTimeout(() => done(t.activeCues.length ? t.activeCues[0].text : ''), 5000); })""")
    assert active == "We draw a circle.", active
    page.get_by_role("tab", name="Downloads").click()
    links = page.locator("#t2m-files a[download]")
    links.first.wait_for()
    names = [links.nth(i).get_attribute("download") for i in range(links.count())]
    assert "captions.vtt" in names and "captions.srt" in names, names
    page.close()


def test_narration_switched_off_in_settings_gives_no_caption_track(browser, app_url):
    page = _open(browser, app_url)
    page.get_by_role("tab", name="Settings").click()
    page.locator("#t2m-narration").get_by_label("Off").check()
    page.get_by_role("tab", name="Create").click()
    _paste(page, (DATA / "voiceover_gtts.py").read_text(encoding="utf-8"))
    page.click("#t2m-render-code")
    assert "Done" in _wait_done(page, 300), page.inner_text("#t2m-chat")
    page.locator("#t2m-video video").wait_for()
    tracks = page.locator("#t2m-video video track")
    assert tracks.count() == 0 or not tracks.first.get_attribute("src"), (tracks.first.get_attribute("src"), page.inner_text("#t2m-chat"))
    page.get_by_role("tab", name="Downloads").click()
    page.locator("#t2m-files a[download]").first.wait_for()
    assert "captions.vtt" not in page.inner_text("#t2m-files")
    page.close()
