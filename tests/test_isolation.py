"""Two visitors of the real app (two gradio_client sessions, each with its own cookie): the second can
neither list nor download the first's jobs, by the History tab's API, by a guessed job path, or even by the
first visitor's own served URL; the first still gets its files."""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.app_fixtures import chat_text, launched, make_settings, value_of
from tests.load_driver import visitor
from text_to_manim import store
from text_to_manim.web.access import COOKIE

TINY = '''from manim import *


class Tiny(Scene):
    def construct(self):
        self.play(Create(Circle(color=BLUE)), run_time=0.5)
        self.wait(0.5)
'''


def history_ids(client) -> list[str]:
    table, _note = client.predict(api_name="/history")
    return [row[-1] for row in value_of(table)["data"] if row[-1]]


@pytest.fixture(scope="module")
def two_visitors(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("iso-media"))
    with launched(settings) as url:
        yield settings, url, visitor(url), visitor(url)


@pytest.mark.slow
def test_a_second_visitor_can_neither_list_nor_download_the_first_visitors_job(two_visitors):
    settings, url, alice, bob = two_visitors
    assert alice.cookies[COOKIE] != bob.cookies[COOKIE]
    job = alice.submit(TINY, "Tiny", api_name="/render_code")
    outs = job.result(timeout=300)
    chat, video = outs[0], value_of(outs[1])
    assert "Done in" in chat_text(value_of(chat)), chat_text(value_of(chat))
    served_url = video["video"]["url"] if "video" in video else video["url"]

    ids = history_ids(alice)
    assert len(ids) == 1
    jid = ids[0]
    job_dir = settings.jobs_dir / jid
    real_video = next(job_dir.glob("Tiny.mp4"))
    assert store.open_store(settings.db_path).get(jid)["owner"]  # the row has an owner (a hash) ...
    assert alice.cookies[COOKIE] not in settings.db_path.read_bytes().decode("latin-1")  # ... not the id

    # Bob's history is empty: neither the id nor the prompt of Alice's job
    assert history_ids(bob) == []
    assert jid not in str(bob.predict(api_name="/history"))

    with httpx.Client(base_url=url, cookies={COOKIE: bob.cookies[COOKIE]}) as as_bob, \
            httpx.Client(base_url=url, cookies={COOKIE: alice.cookies[COOKIE]}) as as_alice, \
            httpx.Client(base_url=url) as stranger:
        # Alice fetches her own served copy: the real bytes of her video
        mine = as_alice.get(served_url)
        assert mine.status_code == 200 and mine.content == real_video.read_bytes()
        # Bob guesses paths under media/jobs (he knows the layout and, say, the job id): nothing
        served_path = httpx.URL(served_url).path.split("file=", 1)[1]
        guesses = [f"/gradio_api/file={job_dir}/scene.py", f"/gradio_api/file={real_video}",
                   f"/gradio_api/file/{real_video}", f"/gradio_api/file={job_dir}/render.log",
                   f"/gradio_api/file={settings.db_path}",
                   f"/gradio_api/file={Path(served_path).parent}/../../../../{jid}/scene.py"]
        for path in guesses:
            r = as_bob.get(path)
            assert r.status_code in (403, 404), (path, r.status_code, r.text[:200])
            assert r.content != real_video.read_bytes() and b"class Tiny" not in r.content
        # even Alice's exact served URL is refused to Bob and to a request without her cookie
        assert as_bob.get(served_url).status_code == 403
        assert stranger.get(served_url).status_code == 403
        # and media/jobs itself is not served to Alice either: only her served copies are
        assert as_alice.get(f"/gradio_api/file={real_video}").status_code == 403

    # the same visitor (same cookie) in a second tab or after a reload sees her jobs again
    again = visitor(url, cookie=alice.cookies[COOKIE])
    assert history_ids(again) == [jid]


@pytest.mark.slow
def test_a_guessed_history_row_cannot_be_opened_through_the_api(two_visitors):
    """Bob's client calls the History endpoints with whatever it likes: only his own (empty) list comes back,
    and the app keeps answering him."""
    settings, url, alice, bob = two_visitors
    everything = store.open_store(settings.db_path).recent(50)
    assert everything, "the first test left a job of Alice's"
    for api in ("/history",):
        out = bob.predict(api_name=api)
        assert all(j["id"] not in str(out) for j in everything)
    # the endpoints that open or convert a job work on the caller's own session state only
    files = value_of(bob.predict(api_name="/make_gif"))
    assert not files


@pytest.mark.slow
@pytest.mark.browser
def test_two_browsers_each_see_only_their_own_history_and_files(two_visitors):
    """Through the UI: two Chromium profiles (two people). The second's History tab lists nothing of the
    first's, and the first's video URL, or a guessed path under media/jobs, gives the second a 403."""
    from tests.app_fixtures import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    settings, url, _alice, _bob = two_visitors
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            first, second = browser.new_context().new_page(), browser.new_context().new_page()
            for page in (first, second):
                page.set_default_timeout(30_000)
                page.goto(url)
                page.wait_for_selector("#t2m-prompt textarea")
            first.get_by_role("tab", name="Code").click()
            first.locator("#t2m-code .cm-content").click()
            first.keyboard.press("Control+a")
            first.keyboard.insert_text(TINY.replace("class Tiny", "class TinyInBrowser"))
            first.click("#t2m-render-code")
            first.wait_for_function("() => /Done|Failed/.test(document.querySelector('#t2m-progress').innerText)",
                                    timeout=300_000)
            src = first.locator("#t2m-video video").get_attribute("src")
            assert src and src.endswith("TinyInBrowser.mp4")
            first.get_by_role("tab", name="History").click()
            first.wait_for_function("() => document.querySelector('#t2m-history').innerText.includes('code')")
            jid = first.inner_text("#t2m-history [data-testid='cell-0-5']").strip()
            assert (settings.jobs_dir / jid / "TinyInBrowser.mp4").is_file()

            second.get_by_role("tab", name="History").click()
            second.wait_for_function("() => document.querySelector('#t2m-history').innerText.includes('No jobs yet')")
            assert jid not in second.inner_text("#t2m-history")
            assert first.request.get(src).status == 200
            assert second.request.get(src).status == 403
            for guess in (f"{settings.jobs_dir / jid}/TinyInBrowser.mp4", f"{settings.jobs_dir / jid}/scene.py"):
                assert second.request.get(f"{url}gradio_api/file={guess}").status == 403
        finally:
            browser.close()
