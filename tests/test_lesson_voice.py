"""Narrated lessons: each scene spoken from its storyboard paragraph, one audio track and one caption track
across the stitched lesson, chapters unchanged; a redone scene keeps it so. Real synthesis (the offline
voice), real sandboxed renders at -ql, the video read back with PyAV."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from text_to_manim.events import Finished, JobResult, PlannedScene, Storyboard
from text_to_manim.fixes import narrate
from text_to_manim.pipeline import lesson
from text_to_manim.sandbox.runner import mux
from text_to_manim.speech import captions
from text_to_manim.web import narration_view
from text_to_manim.web.lesson_view import LessonView

SILENT = """from manim import *


class Quiet(Scene):
    def construct(self):
        self.add(Circle(color=GREEN))
        self.wait(1)
"""


def test_a_scenes_cues_move_to_its_chapter_and_stop_at_its_end():
    cues = [captions.Cue(0.0, 1.5, "one"), captions.Cue(2.0, 9.0, "two"), captions.Cue(7.0, 8.0, "late")]
    moved = captions.shifted(cues, 10.0, 15.0)
    assert [(c.start, c.end, c.text) for c in moved] == [(10.0, 11.5, "one"), (12.0, 15.0, "two")]


def test_lesson_cues_are_each_scenes_srt_offset_by_its_chapter(tmp_path):
    outcomes = []
    for i, cues in enumerate(([captions.Cue(0.2, 1.0, "first")], [], [captions.Cue(0.5, 2.0, "third")]), 1):
        srt = tmp_path / f"s{i}.srt"
        srt.write_text(captions.to_srt(cues), encoding="utf-8")
        outcomes.append(lesson.SceneOutcome(i, "done", tmp_path / f"s{i}.mp4", captions=srt if cues else None))
    got = lesson.lesson_cues(list(zip(outcomes, [(0.0, 4.0), (4.0, 6.0), (6.0, 9.5)])))
    assert [(c.start, c.end, c.text) for c in got] == [(0.2, 1.0, "first"), (6.5, 8.0, "third")]
    # saved and read back (a redo reads lesson.json): the captions file goes with the clip
    assert lesson.SceneOutcome.from_json(outcomes[0].as_json()).captions == outcomes[0].captions


def test_the_storyboard_paragraph_is_spread_over_the_animation_statements():
    code = lesson.offline_lesson.title_card(PlannedScene("Squares", "See a square"))
    lines = [line for line, _ in narrate.statements(code)]
    assert len(lines) == 2
    assert narrate.spread(code, "One. Two.") == {lines[0]: "One.", lines[1]: "Two."}
    assert narrate.spread(code, "Only one sentence here.") == {lines[0]: "Only one sentence here."}
    assert narrate.spread(code, "A. B. C.") == {lines[0]: "A. B.", lines[1]: "C."}
    assert lesson.card_words(PlannedScene("Triangles", "Three sides")) == "Triangles. Three sides."


def test_joined_track_puts_each_parts_audio_at_its_start_and_silence_for_a_silent_part():
    tone = np.full(mux.RATE, 0.5, dtype=np.float32)  # 1 s
    track = mux.joined_track([(2.0, tone), (1.0, None), (1.5, tone[: mux.RATE // 2])], 4.5)
    assert len(track) == int(4.5 * mux.RATE)
    loud = np.abs(track) > 0.25
    assert loud[: mux.RATE].all() and not loud[mux.RATE:3 * mux.RATE].any()
    assert loud[3 * mux.RATE:int(3.5 * mux.RATE)].all() and not loud[int(3.5 * mux.RATE):].any()


def _streams(video: Path) -> tuple[float, float, list, np.ndarray]:
    """(video seconds, audio seconds, chapters, the audio as mono samples at mux.RATE), from the packets."""
    probe = mux.probe(video)
    with av.open(str(video)) as c:
        chapters = c.chapters()
    assert probe.audio is not None, "the stitched lesson has no audio stream"
    pcm = mux.decode(video)
    assert pcm is not None
    return probe.video, probe.audio, chapters, pcm


def _loud(pcm: np.ndarray, start: float, end: float) -> float:
    part = pcm[int(start * mux.RATE):int(end * mux.RATE)]
    return float(np.sqrt(np.mean(part ** 2))) if len(part) else 0.0


def _finish(events) -> JobResult:
    return next(ev.result for ev in events if isinstance(ev, Finished))


@pytest.mark.slow
def test_a_narrated_lesson_speaks_each_scene_in_its_chapter_and_a_redo_keeps_it(settings, tmp_path):
    board = Storyboard("Shapes", "", (
        PlannedScene("Squares", "A square", narration="A square has four equal sides. Its corners are right."),
        PlannedScene("Circles", "A circle", narration="A circle is round."),
        PlannedScene("Triangles", "Three sides")))  # no narration: its card says its title and goal
    s = settings.with_(narration=True, narrate=True, quality="l")
    events = list(lesson.run(lesson.LessonRequest(settings=s, storyboard=board, job_dir=tmp_path / "lesson")))
    result = _finish(events)
    assert result.video is not None and result.status == "ok", result.message
    video_s, audio_s, chapters, pcm = _streams(result.video)
    assert abs(video_s - audio_s) <= 0.2
    assert [ch["metadata"]["title"] for ch in chapters] == ["1. Squares", "2. Circles", "3. Triangles"]
    spans = [(c.start, c.end) for c in result.lesson.chapters]
    cues = captions.from_srt(Path(result.captions_srt).read_text(encoding="utf-8"))
    said = [("A square has four equal sides.", 0), ("Its corners are right.", 0), ("A circle is round.", 1),
            ("Triangles.", 2), ("Three sides.", 2)]
    assert [c.text for c in cues] == [t for t, _ in said]
    for cue, (_, k) in zip(cues, said):
        assert spans[k][0] <= cue.start < spans[k][1], (cue, spans)
        assert _loud(pcm, cue.start + 0.1, min(cue.end, cue.start + 0.8)) > 0.01  # the voice is there
    assert Path(result.captions).read_text(encoding="utf-8").startswith("WEBVTT")
    assert "## Transcript" in Path(result.notes_md).read_text(encoding="utf-8")
    # the app's player: the lesson's video with the lesson's captions (never a scene's own)
    view = LessonView().start("shapes")
    for ev in events:
        view.apply(ev)
    assert (view.video, view.files.get("captions")) == (str(result.video), str(result.captions))
    assert narration_view.video_update(view.video, view.files["captions"], True)["subtitles"] == str(result.captions)

    # scene 2 redone as a silent clip: the concat still has one track, its chapter is silent, scene 3's
    # captions follow its new start
    redo = _finish(lesson.redo(result.job_dir, 2, settings=s, code=SILENT))
    assert redo.video is not None, redo.message
    video_s, audio_s, chapters, pcm = _streams(redo.video)
    assert abs(video_s - audio_s) <= 0.2 and len(chapters) == 3
    spans = [(c.start, c.end) for c in redo.lesson.chapters]
    cues = captions.from_srt(Path(redo.captions_srt).read_text(encoding="utf-8"))
    assert [c.text for c in cues] == [t for t, k in said if k != 1]
    assert all(spans[2][0] <= c.start < spans[2][1] for c in cues[2:])
    assert _loud(pcm, spans[1][0] + 0.05, spans[1][1] - 0.05) < 0.002
