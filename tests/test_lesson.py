"""Lessons against real things: a scripted OpenAI-compatible server on 127.0.0.1 writing the storyboard and the
scenes, real sandboxed renders at -ql, the lesson video read back with PyAV (its frames and chapters), real
SQLite history, the real CLI."""
from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from pathlib import Path

import av
import pytest

from text_to_manim import config
from text_to_manim.events import (
    PLAN,
    SANITIZE,
    Finished,
    LessonPlanned,
    PlannedScene,
    SceneClip,
    SceneState,
    StageFinished,
    StageStarted,
    Storyboard,
    TextDelta,
)
from text_to_manim.generate import prompts
from text_to_manim.generate.offline import lesson as offline_lesson
from text_to_manim.pipeline import lesson, storyboard
from text_to_manim.store import open_store

from .conftest import ROOT, run_cli
from .llm_server import Reply, ScriptedLLM, scene_reply, storyboard_reply

DOC = ROOT / "tests" / "data" / "lesson_doc.md"


def scene_code(name: str, colour: str, label: str) -> str:
    return f"""from manim import *


class {name}(Scene):
    def construct(self):
        title = Text("{label}", font_size=40).to_edge(UP)
        shape = Square(side_length=2, color={colour})
        self.play(FadeIn(title), Create(shape), run_time=0.6)
        self.wait(0.3)
"""


# Fails before its first animation, every time: no partial video, so the lesson gets its title card.
FAILING = """from manim import *


class Broken(Scene):
    def construct(self):
        ratio = 1 / 0
        self.play(Create(Circle()), run_time=0.5)
"""
SCENES = [{"title": "Squares", "goal": "See a blue square", "on_screen": "a square", "formulas": [],
           "narration": "Here is a square.", "seconds": 5},
          {"title": "Green squares", "goal": "A green one", "on_screen": "a square", "formulas": [],
           "narration": "And a green one.", "seconds": 5},
          {"title": "Right triangles", "goal": "The sides of a right triangle", "on_screen": "a triangle",
           "formulas": ["a^2 + b^2 = c^2"], "narration": "The legs and the hypotenuse.", "seconds": 5},
          {"title": "Red squares", "goal": "A red one", "on_screen": "a square", "formulas": [],
           "narration": "And a red one.", "seconds": 5}]
GOOD = {1: scene_code("One", "BLUE", "Squares"), 2: scene_code("Two", "GREEN", "Green squares"),
        4: scene_code("Four", "RED", "Red squares")}
FIXED = scene_code("Three", "YELLOW", "Right triangles")
REDO_WORDS = "with a yellow square instead"


def route(body: dict) -> Reply:
    """The storyboard for the plan request; each scene's answer by the scene its prompt names."""
    messages = body["messages"]
    if messages[0]["content"] == prompts.STORYBOARD_SYSTEM:
        return storyboard_reply("Shapes", SCENES)
    first = messages[1]["content"]
    index = int(re.search(r"Scene (\d) of", first).group(1))
    if index == 3:
        return scene_reply(FIXED if REDO_WORDS in first else FAILING)
    return scene_reply(GOOD[index])


def _settings(tmp_path, base_url: str = "", **kw) -> config.Settings:
    base = dict(provider="openai", base_url=base_url, api_key="sk-test", model="scripted-model",
                media_dir=tmp_path / "media", db_path=tmp_path / "media" / "history.sqlite3", render_jobs=1,
                render_concurrency=2, max_repair_rounds=1, result_cache_mb=0, quality="l")
    base.update(kw)
    return config.Settings(**base)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _chapter_frames(video) -> dict[str, list[str]]:
    """The hashes of the frames each chapter of the video shows, by chapter title."""
    with av.open(str(video)) as c:
        marks = c.chapters()
        stream = c.streams.video[0]
        frames = [(float(f.pts * stream.time_base), hashlib.sha256(f.to_ndarray(format="rgb24").tobytes()).hexdigest())
                  for f in c.decode(stream)]
    out = {}
    for m in marks:
        start, end = float(m["start"] * m["time_base"]), float(m["end"] * m["time_base"])
        out[m["metadata"]["title"]] = [h for t, h in frames if start - 1e-3 <= t < end - 1e-3]
    return out


def _finish(events):
    assert isinstance(events[-1], Finished) and sum(isinstance(e, Finished) for e in events) == 1
    return events[-1].result


def test_storyboard_parse_check_and_round_trip(tmp_path):
    answer = storyboard_reply("Shapes", SCENES).content
    board = storyboard.check(storyboard.parse(answer))
    assert [s.title for s in board.scenes] == [s["title"] for s in SCENES]
    assert board.scenes[2].formulas == ("a^2 + b^2 = c^2",)
    assert storyboard.load(storyboard.save(board, tmp_path)) == board  # an edited file renders the same plan
    assert len(storyboard.check(board, 3).scenes) == 3  # --scenes 3 keeps the first three
    with pytest.raises(storyboard.StoryboardError, match="2 scene"):
        storyboard.check(Storyboard("x", scenes=board.scenes[:2]))
    with pytest.raises(storyboard.StoryboardError, match="no JSON"):
        storyboard.parse("I would rather not plan anything.")
    with pytest.raises(storyboard.StoryboardError, match="scene 2 .* no title"):
        storyboard.parse('```json\n{"title": "t", "scenes": [{"title": "a"}, {"goal": "b"}]}\n```')
    with pytest.raises(storyboard.StoryboardError, match="between 3 and 8"):
        storyboard.clamp_scenes(12)
    edited = tmp_path / "edited.json"  # a plan a person wrote is refused, never cut, outside 3 to 8 scenes
    edited.write_text(json.dumps(Storyboard("x", scenes=board.scenes * 3).as_json()))
    with pytest.raises(storyboard.StoryboardError, match="edited.json: the storyboard has 12 scene"):
        storyboard.load(edited)


def test_scenes_of_a_streaming_storyboard_are_known_as_soon_as_they_are_complete():
    tricky = [{"title": 'Braces "{" in a string', "goal": "a } and a \\ too"}, {"title": "Two"}, {"title": "Three"}]
    answer = storyboard_reply('The "title"', tricky).content
    seen = [[s.title for s in storyboard.streamed_scenes(answer[:k])] for k in range(len(answer) + 1)]
    assert seen[-1] == [s["title"] for s in tricky] == [s.title for s in storyboard.parse(answer).scenes]
    assert all(a == b[:len(a)] for a, b in zip(seen, seen[1:]))  # a scene, once known, never changes
    first = next(k for k, titles in enumerate(seen) if titles)
    assert answer[:first].rstrip().endswith("}") and '"Two"' not in answer[:first]  # at its closing brace
    assert storyboard.streamed_head(answer[:first]) == ('The "title"', "students")


def test_offline_plan_follows_the_gallery_order_and_a_document_its_sections():
    board = offline_lesson.plan("machine learning: clustering and dimensionality reduction")
    slugs = [s.gallery for s in board.scenes]
    assert {"kmeans", "pca"} <= set(slugs) and 3 <= len(slugs) <= 4
    orders = [next(e.order for e in offline_lesson.gallery.entries() if e.slug == s) for s in slugs]
    assert orders == sorted(orders)  # the gallery's teaching order (setup -> k-means -> PCA ...)
    with pytest.raises(ValueError, match="gallery"):
        offline_lesson.plan("the history of medieval tapestry weaving")
    doc = storyboard.read_document(DOC)
    planned = offline_lesson.plan_document(doc)
    assert doc.title == "Parabolas and lines"
    assert [s.title for s in planned.scenes] == ["What a function is", "A straight line", "The parabola"]
    assert [s.formulas for s in planned.scenes] == [(), (), ("y = x^2",)]


def test_render_slots_go_to_earlier_scenes_first():
    """Scenes 3 and 4 are ready first, with 2 slots: they wait until scenes 1 and 2 have theirs (scene 1 plays
    first); a scene whose job ends without a slot (its model failed) holds no slot back."""
    slots = lesson._Slots(2, [1, 2, 3, 4], threading.Event())
    order: list[int] = []

    def scene(i: int) -> None:
        slots.on(i, StageStarted(SANITIZE))
        order.append(i)

    threads = {i: threading.Thread(target=scene, args=(i,)) for i in (3, 4, 1)}
    for i in (3, 4):
        threads[i].start()
    time.sleep(0.3)
    assert order == []  # two free slots, but scenes 1 and 2 have not had theirs
    threads[1].start()
    threads[1].join(5)
    assert order == [1]
    slots.give(2, done=True)  # scene 2's model failed: it never renders
    time.sleep(0.3)
    assert len(order) == 2 and order[1] in (3, 4)  # the second slot goes to the next scene waiting
    slots.give(1, done=True)
    for i in (3, 4):
        threads[i].join(5)
    assert sorted(order) == [1, 3, 4]


PAPER = r"""\documentclass{article}
\begin{document}
\noindent Gradient descent in two pages
\section{Intuition}
A ball rolls downhill on the loss surface, one small step at a time.
\section{The update rule}
Each step moves against the gradient, scaled by the learning rate.
\section{Convergence}
With a small enough rate the loss decreases at every step.
\end{document}
"""


def test_a_pdf_document_is_read_by_its_numbered_sections(tmp_path):
    """A real PDF (made by pdflatex) is a lesson's source: its numbered headings are the scenes' sections."""
    import subprocess

    (tmp_path / "paper.tex").write_text(PAPER)
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "paper.tex"], cwd=tmp_path,
                   capture_output=True, timeout=120, check=True)
    doc = storyboard.read_document(tmp_path / "paper.pdf")
    assert doc.title.startswith("Gradient descent in two pages")
    assert [s.title for s in doc.sections] == ["Intuition", "The update rule", "Convergence"]
    assert "against the gradient" in doc.sections[1].text
    board = offline_lesson.plan_document(doc, None)
    assert len(board.scenes) == 3 and board.scenes[1].title == "The update rule"


def test_an_unreadable_pdf_is_refused_with_what_to_do(tmp_path):
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    proc = run_cli("generate", "--lesson", "--provider", "offline", "--from", str(pdf), "--out", str(tmp_path),
                   timeout=120)
    assert proc.returncode == 2
    assert "paper.pdf: its text could not be read" in proc.stderr and "pdftotext" in proc.stderr
    assert not any(tmp_path.glob("lesson-*"))  # refused before a folder was made


@pytest.mark.slow
def test_lesson_ships_with_a_title_card_then_a_redo_replaces_only_that_scene(tmp_path):
    with ScriptedLLM(route=route) as llm:
        settings = _settings(tmp_path, llm.base_url)
        events = list(lesson.run(lesson.LessonRequest(prompt="squares and triangles", settings=settings)))
        result = _finish(events)

        # the plan streamed live, then the scenes; scene 1 was playable before the last scene finished
        assert [e.stage for e in events if isinstance(e, StageStarted)][0] == PLAN
        assert "".join(e.text for e in events if isinstance(e, TextDelta)).count('"title"') == 5
        # each scene's job started as soon as its part of the plan had streamed, before the plan ended
        plan_end = next(i for i, e in enumerate(events) if isinstance(e, StageFinished) and e.stage == PLAN)
        starts = [i for i, e in enumerate(events) if isinstance(e, SceneState) and e.state == "planned"]
        assert len(starts) == 4 and all(i < plan_end for i in starts)
        planned = next(e for e in events if isinstance(e, LessonPlanned))
        assert [s.title for s in planned.storyboard.scenes] == [s["title"] for s in SCENES]
        clip1 = next(i for i, e in enumerate(events) if isinstance(e, SceneClip) and e.index == 1)
        last_done = max(i for i, e in enumerate(events) if isinstance(e, SceneState) and e.state in ("done", "replaced"))
        assert clip1 < last_done
        states3 = [e.state for e in events if isinstance(e, SceneState) and e.index == 3]
        assert states3[0] == "planned" and "writing" in states3 and states3[-1] == "replaced"

        # the lesson shipped: 4 chapters in the file, scene 3 a title card, status partial
        assert result.status == "partial" and result.video is not None and result.video.name == "lesson.mp4"
        chapters = result.lesson.chapters
        assert [c.status for c in chapters] == ["done", "done", "replaced", "done"]
        assert "failed after its repair rounds" in chapters[2].message and "ZeroDivisionError" in chapters[2].message
        with av.open(str(result.video)) as c:
            marks = c.chapters()
            stream = c.streams.video[0]
            size = (stream.codec_context.width, stream.codec_context.height)
        assert [m["metadata"]["title"] for m in marks] == [f"{i}. {s['title']}" for i, s in enumerate(SCENES, 1)]
        assert [float(m["start"] * m["time_base"]) for m in marks] == pytest.approx([c.start for c in chapters], abs=0.01)
        assert size == (854, 480)
        card = chapters[2].clip
        assert card is not None and card.parent.name == "scene03-card"
        with av.open(str(card)) as c:  # the card has the lesson's size: joined without re-encoding
            assert (c.streams.video[0].codec_context.width, c.streams.video[0].codec_context.height) == size
        # the model got its repair round for scene 3, with the error
        repairs = [r for r in llm.requests if "Scene 3 of" in r["messages"][1]["content"] and len(r["messages"]) > 2]
        assert len(repairs) == 1 and "ZeroDivisionError" in repairs[0]["messages"][-1]["content"]

        # notes: one section per scene with its start time in the video
        notes = result.notes_md.read_text()
        for c in chapters:
            s = int(round(c.start))
            assert f"## {c.index}. {c.title} ({s // 60:02d}:{s % 60:02d})" in notes
        assert "title card" in notes and "a^2 + b^2 = c^2" in notes

        # the JSON contract and the history's one row with its scenes
        data = json.loads((result.job_dir / "result.json").read_text())
        assert data["lesson"]["replaced"] == 1 and len(data["lesson"]["chapters"]) == 4
        store = open_store(settings.db_path)
        reopened = store.lesson(result.job_id)
        assert reopened["storyboard"]["title"] == "Shapes" and reopened["video"] == str(result.video)
        assert [c["status"] for c in reopened["chapters"]] == ["done", "done", "replaced", "done"]
        assert [r["id"] for r in store.recent()] == [result.job_id]  # one entry, not five

        # redo scene 3 with the person's words: the model's fixed scene replaces the card
        before = {c.index: (c.clip, _sha(c.clip)) for c in chapters}
        frames_before = _chapter_frames(result.video)
        redo_events = list(lesson.redo(result.job_dir, 3, settings=settings, instruction=REDO_WORDS))
        redone = _finish(redo_events)
    assert redone.status == "ok" and redone.ok
    assert [c.status for c in redone.lesson.chapters] == ["done"] * 4
    assert redone.lesson.chapters[2].clip.parent.name == "scene03-r1"
    assert not any(isinstance(e, SceneState) and e.index != 3 for e in redo_events)  # only scene 3 ran
    for i in (1, 2, 4):
        clip = redone.lesson.chapters[i - 1].clip
        assert (clip, _sha(clip)) == before[i]  # the same file, byte for byte
    frames_after = _chapter_frames(redone.video)
    for title in ("1. Squares", "2. Green squares", "4. Red squares"):
        assert frames_after[title] and frames_after[title] == frames_before[title]  # frame-identical
    assert frames_after["3. Right triangles"] != frames_before["3. Right triangles"]
    assert store.lesson(result.job_id)["chapters"][2]["status"] == "done"


@pytest.mark.slow
def test_offline_lesson_from_a_markdown_document_with_the_cli(tmp_path):
    proc = run_cli("generate", "--lesson", "--provider", "offline", "--from", str(DOC), "--out", str(tmp_path),
                   "--json", env={"T2M_MEDIA_DIR": str(tmp_path / "media")}, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["status"] == "ok" and data["video"].endswith("lesson.mp4")
    chapters = data["lesson"]["chapters"]
    assert [c["title"] for c in chapters] == ["What a function is", "A straight line", "The parabola"]
    with av.open(data["video"]) as c:
        assert [m["metadata"]["title"] for m in c.chapters()] == [
            "1. What a function is", "2. A straight line", "3. The parabola"]
        duration = c.duration / av.time_base
    assert chapters[-1]["end"] == pytest.approx(duration, abs=0.2)
    assert "scene 1 clip" in proc.stderr and "storyboard: Parabolas and lines" in proc.stderr
    notes = open(data["notes_md"]).read()
    assert "## 3. The parabola (00:" in notes and "$$ y = x^2 $$" in notes
    # the person's own code for scene 1, by the lesson's job id (found through the history)
    clips = {c["index"]: (c["clip"], _sha(Path(c["clip"]))) for c in chapters}
    proc = run_cli("lesson-redo", data["job_id"], "1", "--code", str(ROOT / "tests" / "data" / "scene_basic.py"),
                   "--json", env={"T2M_MEDIA_DIR": str(tmp_path / "media")}, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    redone = json.loads(proc.stdout.strip().splitlines()[-1])
    after = redone["lesson"]["chapters"]
    assert after[0]["status"] == "done" and Path(after[0]["clip"]).name == "Basic.mp4"
    assert [(c["clip"], _sha(Path(c["clip"]))) for c in after[1:]] == [clips[2], clips[3]]
    proc = run_cli("lesson-redo", data["job_id"], "7", env={"T2M_MEDIA_DIR": str(tmp_path / "media")}, timeout=120)
    assert proc.returncode == 2 and "scenes 1 to 3" in proc.stderr
    # an edited storyboard renders as edited: no planning (scene 1 retitled, scene 3 dropped)
    board = json.loads(open(data["lesson"]["storyboard"]).read())
    board["scenes"][0]["title"] = "Functions"
    board["scenes"] = board["scenes"][:2] + [PlannedScene("Summary", "Lines and parabolas").as_json()]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(board))
    proc = run_cli("generate", "--lesson", "--provider", "offline", "--storyboard", str(edited), "--out",
                   str(tmp_path), "--json", env={"T2M_MEDIA_DIR": str(tmp_path / "media")}, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert [c["title"] for c in data["lesson"]["chapters"]] == ["Functions", "A straight line", "Summary"]
    assert "plan" not in data["timings"]
