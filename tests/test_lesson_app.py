"""The lesson in the app: the reducer (`web/lesson_view.py`) with lists of real event objects, then the real app
driven with gradio_client (an offline lesson, a bad edited plan, a redo of one scene from the chat, reopening
from History) and in headless Chromium (scene 1 plays while the lesson still runs)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.app_fixtures import browser  # noqa: F401  (pytest fixture)
from text_to_manim.events import (
    PLAN,
    RENDER,
    STITCH,
    Artifact,
    Chapter,
    CodeError,
    Failed,
    Finished,
    JobResult,
    LessonFacts,
    LessonPlanned,
    PlannedScene,
    Progress,
    ReasoningDelta,
    SceneClip,
    SceneEvent,
    SceneState,
    StageFinished,
    StageStarted,
    Storyboard,
    TextDelta,
)
from text_to_manim.web.lesson_view import LessonView, redo_target

BOARD = Storyboard("Shapes", "first-year students", (
    PlannedScene("Squares", "See a blue square", "a square", (), "Here is a square.", 5),
    PlannedScene("Right triangles", "The sides of a right triangle", "a triangle", ("a^2 + b^2 = c^2",),
                 "The legs and the hypotenuse.", 6),
    PlannedScene("Red squares", "A red one", "a square", (), "And a red one.", 4)))


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def _clips(tmp_path) -> dict[int, Path]:
    out = {}
    for i in (1, 2, 3):
        p = tmp_path / f"scene0{i}" / f"S{i}.mp4"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"clip %d" % i)
        out[i] = p
    card = tmp_path / "scene02-card" / "TitleCard.mp4"
    card.parent.mkdir(parents=True, exist_ok=True)
    card.write_bytes(b"card")
    out[-2] = card
    return out


def _planned(tmp_path) -> list:
    text = json.dumps(BOARD.as_json(), indent=2)
    return ([StageStarted(PLAN, "scripted-model: the storyboard"), ReasoningDelta("Three short scenes.")]
            + [TextDelta(text[i:i + 40]) for i in range(0, len(text), 40)]
            + [StageFinished(PLAN, 1.5, "Shapes: 3 scene(s)"), Artifact("storyboard", tmp_path / "storyboard.json"),
               LessonPlanned(BOARD, tmp_path / "storyboard.json")])


def _result(tmp_path, clips, replaced: bool = True) -> JobResult:
    status2 = "replaced" if replaced else "done"
    chapters = (Chapter(1, "Squares", 0.0, 4.2, "done", clips[1], clips[1].parent),
                Chapter(2, "Right triangles", 4.2, 8.2, status2, clips[-2] if replaced else clips[2],
                        message="scene 2 failed after its repair rounds (ZeroDivisionError)" if replaced else ""),
                Chapter(3, "Red squares", 8.2, 65.0, "done", clips[3]))
    video = tmp_path / "lesson.mp4"
    video.write_bytes(b"lesson")
    return JobResult(ok=not replaced, status="partial" if replaced else "ok", video=video, job_dir=tmp_path,
                     timings={"total": 42.0}, lesson=LessonFacts("Shapes", tmp_path / "storyboard.json", chapters),
                     errors=[CodeError("lesson", chapters[1].message, kind="replaced")] if replaced else [])


def chapter_rows(table: str) -> list[tuple[str, ...]]:
    """The Lesson tab's chapters as (index, start, scene, status) rows, as a person reads them."""
    import html
    import re

    rows = re.findall(r"<tr data-scene=\"\d+\">(.*?)</tr>", table or "")
    return [tuple(html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", r)) for r in rows]


def _bubbles(view, prefix: str) -> list[dict]:
    return [m for m in view.messages if str((m.get("metadata") or {}).get("title", "")).lstrip("✓▢✗ ").startswith(prefix)]


def test_the_storyboard_streams_into_its_bubble_then_shows_as_a_readable_and_editable_plan(tmp_path):
    view = LessonView(clock=Clock()).start("a lesson on shapes")
    events = _planned(tmp_path)
    deltas = [i for i, e in enumerate(events) if isinstance(e, TextDelta)]
    for ev in events[:deltas[3]]:
        view.apply(ev)
    plan_bubble = _bubbles(view, "Storyboard")[0]
    assert plan_bubble["metadata"]["status"] == "pending"
    assert '"title": "Shapes"' in plan_bubble["content"] and "the storyboard" in plan_bubble["content"]
    assert "Red squares" not in plan_bubble["content"]  # streamed: only what was written so far
    assert view.plan_json() == ""  # the editable plan waits for the whole storyboard
    for ev in events[deltas[3]:]:
        view.apply(ev)
    plan_bubble = _bubbles(view, "Storyboard")[0]
    assert plan_bubble["metadata"]["status"] == "done" and "3 scenes" in plan_bubble["metadata"]["title"]
    readable = view.messages[-1]["content"]
    for words in ("Lesson plan: Shapes", "first-year students", "1. Squares", "(~6 s)", "$a^2 + b^2 = c^2$",
                  "The legs and the hypotenuse", "The sides of a right triangle", "Render lesson"):
        assert words in readable, (words, readable)
    assert Storyboard.from_json(json.loads(view.plan_json())) == BOARD  # what the Lesson tab's editor holds
    assert {"plan", "chapters"} <= view.take_lesson_dirty() and not view.take_lesson_dirty()
    assert "chat" in view.take_dirty()


def test_one_bubble_per_scene_follows_its_state_and_the_first_clip_plays_at_once(tmp_path):
    clips = _clips(tmp_path)
    view = LessonView(clock=Clock()).start("a lesson on shapes")
    for ev in _planned(tmp_path):
        view.apply(ev)
    for i, sc in enumerate(BOARD.scenes, 1):
        view.apply(SceneState(i, "planned", sc.title))
    scenes = _bubbles(view, "Scene ")
    assert [b["metadata"]["title"] for b in scenes] == ["Scene 1 · Squares · planned",
                                                        "Scene 2 · Right triangles · planned",
                                                        "Scene 3 · Red squares · planned"]
    assert all(b["metadata"]["status"] == "pending" for b in scenes)
    # scene 2's job: writing, a failure inside it, validating; scene 1 renders
    view.apply(SceneState(2, "writing", "scripted-model"))
    view.apply(SceneState(1, "writing", "scripted-model"))
    view.apply(SceneEvent(2, StageStarted(RENDER)))  # a scene's inner stage opens no bubble of its own
    view.apply(SceneEvent(2, Failed("validate", "ZeroDivisionError: division by zero", 6)))
    view.apply(SceneState(1, "rendering", ""))
    view.apply(SceneEvent(1, Progress(RENDER, 2, 3)))
    scenes = _bubbles(view, "Scene ")
    assert len(scenes) == 3, "one bubble per scene, whatever its job does"
    assert scenes[0]["metadata"]["title"] == "Scene 1 · Squares · rendering · animation 2 of 3"
    assert "Running the scene failed (line 6): ZeroDivisionError" in scenes[1]["content"]
    assert not view.video
    # scene 1's clip is there: the player shows it while the others still run
    view.apply(SceneClip(1, clips[1], "done"))
    view.apply(SceneState(1, "done", "clip ready (3.1 s)"))
    assert view.video == str(clips[1]) and "video" in view.take_dirty()
    assert view.status == "running" and view.stage == "Lesson: 1 of 3 scenes ready"
    assert _bubbles(view, "Scene 1")[0]["metadata"]["status"] == "done"
    assert _bubbles(view, "Scene 1")[0]["metadata"]["title"].startswith("✓ Scene 1")
    # a later scene's clip does not take the player from scene 1
    view.apply(SceneClip(3, clips[3], "done"))
    view.apply(SceneState(3, "done", ""))
    assert view.video == str(clips[1])
    # scene 2 fails all its rounds: its title card, said once, in its own bubble
    view.apply(SceneClip(2, clips[-2], "replaced"))
    msg = "scene 2 failed after its repair rounds (ZeroDivisionError); it is a title card in the lesson"
    view.apply(Failed(RENDER, msg, None, CodeError("lesson", msg, kind="Replaced")))
    view.apply(SceneState(2, "replaced", msg))
    s2 = _bubbles(view, "Scene 2")[0]
    assert s2["metadata"]["title"] == "▢ Scene 2 · Right triangles · replaced by a title card"
    assert msg in s2["content"] and s2["metadata"]["status"] == "done"
    assert not [m for m in view.messages if "Render failed" in str((m.get("metadata") or {}).get("title"))]
    assert view.clips() == [(str(clips[1]), "scene01-squares.mp4"), (str(clips[-2]), "scene02-right-triangles.mp4"),
                            (str(clips[3]), "scene03-red-squares.mp4")]
    assert [r[3] for r in chapter_rows(view.chapters())] == ["✓ done", "▢ title card: " + msg, "✓ done"]
    # the stitched lesson takes the player
    view.apply(StageStarted(STITCH, "3 clip(s)"))
    view.apply(Artifact("video", tmp_path / "lesson.mp4"))
    assert view.video == str(tmp_path / "lesson.mp4")
    view.apply(SceneClip(1, clips[1], "done"))  # (a late clip never takes it back)
    assert view.video == str(tmp_path / "lesson.mp4")


def test_scenes_started_while_the_plan_still_streams_keep_their_state_when_the_plan_is_whole(tmp_path):
    clips = _clips(tmp_path)
    view = LessonView(clock=Clock()).start("a lesson on shapes")
    events = _planned(tmp_path)
    cut = next(i for i, e in enumerate(events) if isinstance(e, StageFinished))
    for ev in events[:cut]:  # the plan streamed up to its end; scene 1's part was complete long before
        view.apply(ev)
    for ev in (SceneState(1, "planned", "Squares"), SceneState(1, "writing", "scripted-model"),
               SceneClip(1, clips[1], "done"), SceneState(1, "done", "clip ready (2.0 s)")):
        view.apply(ev)
    assert view.stage == "Storyboard" and view.video == str(clips[1])  # the plan's stage still runs; scene 1 plays
    for ev in events[cut:]:
        view.apply(ev)
    assert [b["metadata"]["title"] for b in _bubbles(view, "Scene ")] == ["✓ Scene 1 · Squares · done"]
    assert view.stage == "Lesson: 1 of 3 scenes ready"
    assert [r[3] for r in chapter_rows(view.chapters())] == ["✓ done", "planned …", "planned …"]
    assert view.clips() == [(str(clips[1]), "scene01-squares.mp4")]


def test_the_finished_lesson_lists_chapters_with_times_and_says_how_to_redo_a_scene(tmp_path):
    clips = _clips(tmp_path)
    view = LessonView(clock=Clock()).start("a lesson on shapes")
    for ev in _planned(tmp_path):
        view.apply(ev)
    result = _result(tmp_path, clips)
    view.apply(Artifact("video", result.video))
    view.apply(Finished(result))
    assert view.status == "partial" and view.video == str(result.video)
    rows = chapter_rows(view.chapters())
    assert rows == [("1", "00:00", "Squares", "✓ done"),
                    ("2", "00:04", "Right triangles",
                     "▢ title card: scene 2 failed after its repair rounds (ZeroDivisionError)"),
                    ("3", "00:08", "Red squares", "✓ done")]
    assert 'data-seek="4.200"' in view.chapters()  # a start time jumps the player there
    closing = view.messages[-1]["content"]
    assert closing.startswith("Lesson ready in 42.0 s: **Shapes**, 3 scenes, 01:05 in all.")
    assert "1 scene failed after its repair rounds and shows its title card instead: scene 2" in closing
    assert "redo scene 2 with" in closing and "This did not work" not in closing
    assert [p for p, _ in view.clips()] == [str(clips[1]), str(clips[-2]), str(clips[3])]
    assert view.lesson_dir == str(tmp_path)
    # a lesson with no storyboard is a failure in the chat's own words
    failed = LessonView(clock=Clock()).start("a lesson on nothing")
    failed.apply(StageStarted(PLAN, "offline"))
    failed.apply(Failed(PLAN, "no storyboard: nothing in the gallery is about this topic"))
    failed.apply(StageFinished(PLAN, 0.1, "no storyboard"))
    failed.apply(Finished(JobResult(ok=False, status="failed", message="no storyboard: nothing in the gallery",
                                    errors=[CodeError(PLAN, "no storyboard: nothing in the gallery")])))
    assert failed.status == "failed" and "This did not work" in failed.messages[-1]["content"]
    assert "nothing in the gallery" in failed.messages[-1]["content"]


def test_a_redo_view_shows_the_redone_scene_at_once_and_says_what_happened(tmp_path):
    clips = _clips(tmp_path)
    facts = {"storyboard": BOARD.as_json(), "chapters": [c.as_json() for c in _result(tmp_path, clips).lesson.chapters]}
    view = LessonView.for_lesson(facts, str(tmp_path), redo_index=2, clock=Clock()).start("redo scene 2 with a grid")
    assert chapter_rows(view.chapters())[1][3].startswith("▢ title card")  # the lesson as it was
    view.take_lesson_dirty()
    view.apply(SceneState(2, "planned", "Right triangles"))
    view.apply(SceneState(2, "writing", ""))
    assert [b["metadata"]["title"] for b in _bubbles(view, "Scene ")] == ["Scene 2 · Right triangles · writing"]
    view.apply(SceneClip(2, clips[2], "done"))
    assert view.video == str(clips[2])  # the redone scene plays at once, not scene 1
    view.apply(SceneState(2, "done", ""))
    view.apply(Finished(_result(tmp_path, clips, replaced=False)))
    assert view.status == "ok"
    assert view.messages[-1]["content"].startswith("Scene 2 (*Right triangles*) was rendered again")
    # the same scene failing again is said so, with what to try
    again = LessonView.for_lesson(facts, str(tmp_path), redo_index=2, clock=Clock()).start("redo scene 2")
    again.apply(Finished(_result(tmp_path, clips, replaced=True)))
    assert "failed again and is still a title card" in again.messages[-1]["content"]
    assert "ZeroDivisionError" in again.messages[-1]["content"]


@pytest.mark.parametrize("text, target", [
    ("redo scene 3 with a number line", (3, "with a number line")),
    ("Re-render scene 3", (3, "")),
    ("scene 3: use a number line", (3, "use a number line")),
    ("please redo scene 12, slower", (12, "slower")),
    ("in scene 2, make the square red", (2, "make the square red")),
    ("rerender scene #4 again", (4, "")),
    ("Animate k-means clustering on three blobs", None),
    ("make the dots red", None),
    ("the scenes of a play", None),
])
def test_a_follow_up_that_targets_one_scene(text, target):
    assert redo_target(text) == target


def test_an_edited_plan_with_a_mistake_says_which_field_is_wrong():
    from text_to_manim.web.lesson_app import EMPTY_PLAN, parse_plan

    good = BOARD.as_json()
    assert parse_plan(json.dumps(good)) == BOARD
    cases = [('{"title": "x", "scenes": [', "not valid JSON: Expecting value at line 1, column 27"),
             (json.dumps({**good, "scenes": [good["scenes"][0], {"goal": "no title"}, good["scenes"][2]]}),
              "scene 2 of the storyboard has no title"),
             (json.dumps({**good, "scenes": [{**good["scenes"][0], "seconds": "a while"}] + good["scenes"][1:]}),
              "scene 1: seconds must be a number"),
             (json.dumps({**good, "scenes": good["scenes"][:2]}), "has 2 scene(s); a lesson has 3 to 8"),
             (json.dumps({"title": "x"}), "no list of scenes"),
             ("   ", EMPTY_PLAN)]
    for text, words in cases:
        with pytest.raises(ValueError) as err:
            parse_plan(text)
        assert words in str(err.value), (text, str(err.value))


def test_a_clip_is_served_under_the_name_the_app_gives_it_and_only_to_its_owner(tmp_path):
    from text_to_manim.web.access import ServedFiles

    clip = tmp_path / "jobs" / "lesson-1" / "scene01" / "FormulaScene.mp4"
    clip.parent.mkdir(parents=True)
    clip.write_bytes(b"clip")
    served = ServedFiles(tmp_path / "served", tmp_path / "jobs")
    copy = Path(served.serve(clip, "alice", "scene01-what-a-function-is.mp4"))
    assert copy.name == "scene01-what-a-function-is.mp4" and copy.read_bytes() == b"clip"
    assert copy.is_relative_to(tmp_path / "served")
    sneaky = Path(served.serve(clip, "alice", "../../../etc/passwd"))
    assert sneaky.is_relative_to(tmp_path / "served") and "/" not in sneaky.name and sneaky.name != ".."
    assert served.serve(clip, "bob", "scene01.mp4") != served.serve(clip, "alice", "scene01.mp4")


def _sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- the real app, driven with gradio_client ------------------------------------------------------------
DOC = """# Parabolas and lines

## What a function is

A function gives one output for each input: a rule that turns a number into another number.

## A straight line

The simplest graph is a line through the origin, $y = 2x$, whose slope is two.

## The parabola

Squaring gives a curve that opens upwards: $y = x^2$.
"""  # pasted into the prompt box: 3 sections, an offline lesson of a text card and two formula scenes
LESSON_OUTS = ("chat", "video", "preview", "progress", "code", "notes", "notes_files", "files",  # (no State)
               "plan", "chapters", "clips")


def _fold(outs, names=LESSON_OUTS) -> list[dict]:
    from tests.test_app_api import SKIPPED, _val

    cur, states = {}, []
    for o in outs:
        for name, v in zip(names, o if isinstance(o, (list, tuple)) else [o]):
            v = _val(v)
            if v is not SKIPPED:
                cur[name] = v
        states.append(dict(cur))
    return states


def _lesson_run(client, api_name: str, *args, timeout: float = 600) -> list[dict]:
    job = client.submit(*args, api_name=api_name)
    job.result(timeout=timeout)
    return _fold(job.outputs())


def _lesson_json(lesson_dir) -> dict:
    return json.loads((Path(lesson_dir) / "lesson.json").read_text())


@pytest.fixture(scope="module")
def lesson_client(tmp_path_factory):
    from gradio_client import Client

    from tests.app_fixtures import launched, make_settings

    settings = make_settings(tmp_path_factory.mktemp("lesson-app"))
    with launched(settings) as url:
        yield Client(url, verbose=False, download_files=str(tmp_path_factory.mktemp("lesson-client"))), settings


@pytest.mark.slow
def test_an_offline_lesson_in_the_app_streams_scene_clips_then_the_stitched_lesson_with_chapters(lesson_client):
    import av

    from tests.app_fixtures import chat_text, video_path
    from tests.video import probe

    client, settings = lesson_client
    states = _lesson_run(client, "/lesson", DOC)
    final = states[-1]
    text = chat_text(final["chat"])
    assert "Lesson ready in" in text and "Parabolas and lines" in text, text[-2000:]
    assert "Lesson plan: Parabolas and lines" in text and "$y = 2x$" in text  # the readable plan
    for i, title in enumerate(("What a function is", "A straight line", "The parabola"), 1):
        assert f"✓ Scene {i} · {title} · done" in text, text
    # progressive: a scene's clip was in the player while the lesson still ran
    early = [s for s in states[:-1] if video_path(s.get("video")) and "Lesson ready" not in chat_text(s["chat"])]
    assert early and not video_path(early[0]["video"]).endswith("lesson.mp4"), [video_path(s.get("video")) for s in states]
    assert "Lesson:" in str(early[0]["progress"])
    # the stitched lesson: one chapter per scene in the file, the same times in the Lesson tab
    video = video_path(final["video"])
    assert video.endswith("lesson.mp4") and probe(video).frames > 10
    with av.open(video) as c:
        marks = [(m["metadata"]["title"], float(m["start"] * m["time_base"])) for m in c.chapters()]
    assert [t for t, _ in marks] == ["1. What a function is", "2. A straight line", "3. The parabola"]
    assert chapter_rows(final["chapters"]) == [
        (str(i), f"{int(round(start)) // 60:02d}:{int(round(start)) % 60:02d}", title[3:], "✓ done")
        for i, (title, start) in enumerate(marks, 1)]
    assert [Path(p).name for p in final["clips"]] == ["scene01-what-a-function-is.mp4", "scene02-a-straight-line.mp4",
                                                      "scene03-the-parabola.mp4"]
    assert all(probe(p).frames > 5 for p in final["clips"])
    plan = json.loads(final["plan"])
    assert [s["title"] for s in plan["scenes"]] == ["What a function is", "A straight line", "The parabola"]
    names = [Path(f).name for f in final["files"]]
    for wanted in ("lesson.mp4", "notes.md", "notes.tex", "storyboard.json"):
        assert wanted in names, names
    assert "## 2. A straight line (00:0" in final["notes"]
    # the history holds the lesson as one row, with its scenes
    rows = store_rows(settings)
    assert [r["kind"] for r in rows] == ["lesson"] and rows[0]["status"] == "ok"

    # a follow-up in the chat redoes one scene only; the others stay the same files
    lesson_dir = rows[0]["job_dir"]
    before = {s["index"]: (s["clip"], _sha(s["clip"])) for s in _lesson_json(lesson_dir)["scenes"]}
    from tests.test_app_api import _run

    redo = _run(client, "/generate", "redo scene 2 with a thicker line")
    text = chat_text(redo[-1]["chat"][-6:])
    assert "Scene 2 (*A straight line*) was rendered again" in text, text
    assert "Scene 1 ·" not in text and "Scene 3 ·" not in text  # only scene 2 ran
    after = {s["index"]: s["clip"] for s in _lesson_json(lesson_dir)["scenes"]}
    assert Path(after[2]).parent.name == "scene02-r1"
    for i in (1, 3):
        assert (after[i], _sha(after[i])) == before[i]
    assert video_path(redo[-1]["video"]).endswith("lesson.mp4")
    assert [r["kind"] for r in store_rows(settings)] == ["lesson"]  # still one entry
    # a scene the lesson does not have is refused, saying which it has
    refused = _run(client, "/generate", "redo scene 9", timeout=60)
    assert "The lesson has scenes 1 to 3; there is no scene 9." in chat_text(refused[-1]["chat"])


def store_rows(settings) -> list[dict]:
    from text_to_manim import store

    return store.open_store(settings.db_path).recent(10)


@pytest.mark.slow
def test_a_bad_edited_plan_says_which_field_is_wrong_and_starts_nothing(lesson_client):
    from tests.app_fixtures import chat_text

    client, settings = lesson_client
    jobs = set(settings.jobs_dir.glob("*")) if settings.jobs_dir.is_dir() else set()
    board = BOARD.as_json()
    board["scenes"][1] = {"goal": "a scene someone forgot to name"}
    states = _lesson_run(client, "/render_lesson", json.dumps(board), timeout=60)
    text = chat_text(states[-1]["chat"])
    assert "Not started." in text and "scene 2 of the storyboard has no title" in text, text
    assert "Render lesson" in text  # what to do
    states = _lesson_run(client, "/render_lesson", json.dumps(board)[:-3], timeout=60)
    assert "the plan is not valid JSON" in chat_text(states[-1]["chat"])
    assert (set(settings.jobs_dir.glob("*")) if settings.jobs_dir.is_dir() else set()) == jobs


# --- in a real browser ------------------------------------------------------------------------------------
FOUR_SECTIONS = """# Lines and curves

## Functions

A function gives one output for each input.

## A line

The line through the origin with slope two: $y = 2x$.

## A parabola

Squaring gives a curve that opens upwards: $y = x^2$.

## A cubic

Cubing keeps the sign: $y = x^3$.
"""
SCENE_CLIP_PLAYING = """() => {
  const v = document.querySelector('#t2m-video video');
  const progress = document.querySelector('#t2m-progress')?.innerText || '';
  if (!v || !v.src || v.src.endsWith('lesson.mp4')) return null;
  if (!/Lesson: \\d of 4 scenes ready/.test(progress)) return null;  // the lesson is still running
  return {src: v.src, progress: progress};
}"""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_scene_one_plays_in_the_browser_before_the_lesson_ends_then_history_reopens_it(browser, tmp_path):
    from tests.app_fixtures import launched, make_settings
    from tests.video import probe

    with launched(make_settings(tmp_path / "media")) as url:
        page = browser.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        page.fill("#t2m-prompt textarea", FOUR_SECTIONS)
        page.click("#t2m-lesson")
        seen = page.wait_for_function(SCENE_CLIP_PLAYING, timeout=300_000).json_value()
        clip = page.request.get(seen["src"])
        assert clip.ok
        (tmp_path / "clip.mp4").write_bytes(clip.body())
        assert probe(tmp_path / "clip.mp4").frames > 5  # a real video, served while the others still render
        page.wait_for_function("() => /Done|Partial|Failed|Cancelled/.test("
                               "document.querySelector('#t2m-progress')?.innerText || '')", timeout=300_000)
        assert "Done" in page.inner_text("#t2m-progress"), page.inner_text("#t2m-chat")
        page.wait_for_function("() => (document.querySelector('#t2m-video video')?.src || '').endsWith('lesson.mp4')")
        page.get_by_role("tab", name="Lesson").click()
        chapters = page.inner_text("#t2m-chapters")
        for title in ("Functions", "A line", "A parabola", "A cubic"):
            assert title in chapters, chapters
        assert "00:00" in chapters and chapters.count("✓ done") == 4
        # a chapter's start time jumps the stitched lesson there
        can_play = page.evaluate("() => document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.42E01E\"')")
        if can_play:
            page.wait_for_function("() => (document.querySelector('#t2m-video video')?.readyState || 0) >= 1")
            seek = page.locator("#t2m-chapters tr[data-scene='3'] button.t2m-seek")
            start = float(seek.get_attribute("data-seek"))
            seek.click()
            page.wait_for_function("(t) => Math.abs(document.querySelector('#t2m-video video').currentTime - t) < 1.0",
                                   arg=start)
        page.close()

        # another tab of the same person: History lists the lesson as one row; opening it restores it all
        page = browser.new_page()
        page.goto(url)
        page.get_by_role("tab", name="History").click()
        page.locator("#t2m-history [data-testid='cell-0-2']").wait_for()
        assert page.inner_text("#t2m-history [data-testid='cell-0-2']").strip() == "lesson"
        assert page.locator("#t2m-history [data-testid='cell-1-2']").count() == 0  # one entry, not five
        page.locator("#t2m-history [data-testid='cell-0-3']").click()
        page.wait_for_selector("#t2m-chat :text('This is a lesson')")
        page.wait_for_function("() => (document.querySelector('#t2m-video video')?.src || '').endsWith('lesson.mp4')")
        page.get_by_role("tab", name="Lesson").click()
        page.wait_for_function("() => document.querySelector('#t2m-chapters')?.innerText.includes('A cubic')")
        assert page.inner_text("#t2m-chapters").count("✓ done") == 4
        assert "Lines and curves" in page.inner_text("#t2m-plan")
        assert page.locator("#t2m-clips a[download]").count() == 4
        page.close()


@pytest.mark.slow
def test_a_model_lesson_ships_with_a_title_card_then_a_chat_redo_with_words_replaces_only_that_scene(tmp_path):
    from gradio_client import Client

    from tests import test_lesson as scripted  # its scripted model: 4 scenes, scene 3 fails every round
    from tests.app_fixtures import chat_text, launched, make_settings, video_path
    from tests.llm_server import ScriptedLLM
    from tests.test_app_api import _run
    from text_to_manim.web.views import OPENAI_COMPAT

    settings = make_settings(tmp_path / "media")
    with launched(settings) as url, ScriptedLLM(route=scripted.route) as llm:
        client = Client(url, verbose=False, download_files=str(tmp_path / "client"))
        model = dict(provider=OPENAI_COMPAT, model="scripted-model", base_url=llm.base_url,
                     api_key="sk-test-lesson-0123456789", rounds=1)
        job = client.submit("squares and triangles", api_name="/lesson", **model)
        job.result(timeout=600)
        states = _fold(job.outputs())
        final = states[-1]
        text = chat_text(final["chat"])
        assert '"title": "Green squares"' in text and "Lesson plan: Shapes" in text  # streamed, then readable
        assert "▢ Scene 3 · Right triangles · replaced by a title card" in text, text
        assert "1 scene failed after its repair rounds and shows its title card instead: scene 3" in text
        assert "ZeroDivisionError" in text and "redo scene 2 with" in text
        assert "Partial" in final["progress"] and video_path(final["video"]).endswith("lesson.mp4")
        assert [r[3][:12] for r in chapter_rows(final["chapters"])] == ["✓ done", "✓ done", "▢ title card", "✓ done"]
        lesson_dir = store_rows(settings)[0]["job_dir"]
        before = {s["index"]: (s["clip"], _sha(s["clip"])) for s in _lesson_json(lesson_dir)["scenes"]}

        redo = _run(client, "/generate", f"redo scene 3 {scripted.REDO_WORDS}", **model)
        asked = [r["messages"][1]["content"] for r in llm.requests if "Scene 3 of 4" in r["messages"][1]["content"]]
    text = chat_text(redo[-1]["chat"][-4:])
    assert "Scene 3 (*Right triangles*) was rendered again" in text, text
    assert scripted.REDO_WORDS in asked[-1]  # the person's words went to the model, for that scene only
    after = {s["index"]: (s["clip"], s["status"]) for s in _lesson_json(lesson_dir)["scenes"]}
    assert after[3][1] == "done" and Path(after[3][0]).parent.name == "scene03-r1"
    for i in (1, 2, 4):
        assert (after[i][0], _sha(after[i][0])) == before[i]
    assert "Done" in redo[-1]["progress"]
    assert store_rows(settings)[0]["status"] == "ok"
