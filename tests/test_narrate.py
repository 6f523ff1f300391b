"""Narrate anything, captions on the picture, the transcript, the switch (issue 18). Real synthesis (the
offline voice), real renders in the sandbox, the video read back with PyAV, a real model server on
127.0.0.1 for the model's narration. No mocks."""
from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from tests.conftest import run_cli
from tests.llm_server import Reply, ScriptedLLM
from text_to_manim.events import NARRATE, Finished, NotesDelta, StageFinished
from text_to_manim.fixes import narrate
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.pipeline import narrate_step
from text_to_manim.pipeline.state import JobState, Round
from text_to_manim.sandbox.runner import mux
from text_to_manim.speech import captions, engines
from text_to_manim.speech.spoken import math_words

DATA = Path(__file__).parent / "data"
PLAIN = DATA / "plain_scene.py"
PLAIN_SCENE = PLAIN.read_text()
GTTS_SCENE = (DATA / "voiceover_gtts.py").read_text()
# what the writer says for tests/data/plain_scene.py: the title, the shape drawn, the formula read aloud
PLAIN_SAID = ["Area of a circle.", "We draw a circle.", "A equals pi r squared."]


def _drive(gen):
    """Run a step generator to its end: (its events, its return value)."""
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as stop:
            return events, stop.value


def _run(settings, code: str, **changes):
    events = list(pipeline.run(pipeline.Request(code=code, settings=settings.with_(**changes), sanitize=False)))
    assert isinstance(events[-1], Finished)
    result = events[-1].result
    assert result.ok, [e.short() for e in result.errors]
    return result


# -- the writer and the rewrite (no render) ---------------------------------------------------------------

def test_the_writer_says_the_scenes_texts_shapes_and_formulas():
    done = narrate.narrate(PLAIN_SCENE)
    assert [s.text for s in done.segments] == PLAIN_SAID
    tree = ast.parse(done.code)
    scene = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    assert [b.id for b in scene.bases] == ["VoiceoverScene"]
    blocks = [n for n in ast.walk(tree) if isinstance(n, ast.With)]
    assert len(blocks) == 3
    # the wait after the circle is drawn is inside its block: the speech uses it before any wait is added
    assert [ast.unparse(s) for s in blocks[1].body] == ["self.play(Create(circle))", "self.wait(0.5)"]
    # the fade-out says nothing and stays outside any block
    assert "self.play(FadeOut(circle), FadeOut(formula), FadeOut(title))\n" in done.code.split("as tracker:")[-1]


def test_formulas_are_read_as_words():
    assert math_words(r"x^2 + y^2 = r^2") == "x squared plus y squared equals r squared"
    assert math_words(r"\int_0^1 x^2\,dx = \tfrac{1}{3}") == "the integral from 0 to 1 of x squared dx equals 1 over 3"
    assert "\\" not in math_words(r"\mathcal{L}(\theta) = \sum_i \ell_i")


def test_a_scene_with_voice_over_is_left_as_written():
    assert narrate.narrate(GTTS_SCENE).code == GTTS_SCENE


def test_a_statement_with_a_string_across_lines_is_not_moved():
    code = PLAIN_SCENE.replace('self.play(Write(title))', 'self.play(Write(Text("""two\nlines""")))')
    done = narrate.narrate(code)
    assert '"""two\nlines"""' in done.code  # the string's second line was not indented into the text
    ast.parse(done.code)


def test_the_model_writes_the_narration_when_one_is_configured(settings):
    """The narration prompt goes to the configured model (a real server on 127.0.0.1); its texts, by
    statement line, become the voiceover blocks."""
    lines = [line for line, _ in narrate.statements(PLAIN_SCENE)]
    answer = json.dumps({str(lines[0]): "Today: the area of a circle.", str(lines[2]): "Pi r squared, the area."})
    with ScriptedLLM([Reply(content=f"Here it is:\n{answer}")]) as llm:
        s = settings.with_(provider="openai", base_url=llm.base_url, api_key="k", model="m", narrate=True)
        st = JobState(pipeline.Request(code=PLAIN_SCENE, settings=s))
        events, code = _drive(narrate_step.narrate(st, Round(0), PLAIN_SCENE))
    sent = llm.requests[0]["messages"][-1]["content"]
    assert f"[{lines[1]}]\nself.play(Create(circle))" in sent.replace("        ", "")
    assert narrate_step.BY_MODEL in [e for e in events if isinstance(e, StageFinished)][0].detail
    said = [ast.literal_eval(n.items[0].context_expr.keywords[0].value) for n in ast.walk(ast.parse(code))
            if isinstance(n, ast.With)]
    assert said == ["Today: the area of a circle.", "Pi r squared, the area."]


def test_a_model_answer_without_json_falls_back_to_the_scenes_texts(settings):
    with ScriptedLLM([Reply(content="I cannot do that.")]) as llm:
        s = settings.with_(provider="openai", base_url=llm.base_url, api_key="k", model="m", narrate=True)
        st = JobState(pipeline.Request(code=PLAIN_SCENE, settings=s))
        events, code = _drive(narrate_step.narrate(st, Round(0), PLAIN_SCENE))
    finished = [e for e in events if isinstance(e, StageFinished) and e.stage == NARRATE][0]
    assert "written from the scene instead" in finished.detail
    assert code == narrate.narrate(PLAIN_SCENE).code


@pytest.mark.parametrize("flags, says", [(["--narrate", "--no-narration"], "contradict"),
                                         (["--voice-speed", "5"], "between 0.5 and 2.0")])
def test_contradictory_or_bad_narration_flags_are_usage_errors(flags, says):
    proc = run_cli("render", str(PLAIN), *flags, timeout=120)
    assert proc.returncode == 2 and says in proc.stderr, proc.stderr


# -- real renders ---------------------------------------------------------------------------------------------

def _cues(video: Path) -> list:
    return list(srt.parse((video.parent / "captions.srt").read_text()))


def _frame_at(video: Path, t: float) -> np.ndarray:
    with av.open(str(video)) as c:
        for f in c.decode(video=0):
            if f.time is not None and f.time >= t:
                return f.to_ndarray(format="rgb24").astype(int)
    raise AssertionError(f"no frame at {t} s in {video}")


@pytest.mark.slow
def test_render_narrate_gives_speech_as_long_as_the_video_captions_and_a_transcript(tmp_path):
    """`render FILE --narrate` as a user types it: the video speaks (an audio stream as long as the
    picture), each caption starts where its block starts, the speech of each block is heard there, and
    the notes hold the transcript."""
    media = tmp_path / "media"
    proc = run_cli("render", str(PLAIN), "--narrate", "--json", "--out", str(tmp_path / "out"),
                   env={"T2M_MEDIA_DIR": str(media)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    video = Path(result["video"])
    streams = mux.probe(video)
    assert streams.audio is not None and abs(streams.audio - streams.video) <= 0.1, streams
    cues = _cues(video)
    assert [c.content for c in cues] == PLAIN_SAID
    assert Path(result["captions_vtt"]).read_text().startswith("WEBVTT")
    durations = json.loads((video.parent / "narration.json").read_text())
    d = [durations[t]["duration"] for t in PLAIN_SAID]
    # Write(title) 1 s, then Create(circle) 1 s + wait 0.5 s: each block lasts as long as the longer of its
    # animations and its speech
    starts = [0.0, max(1.0, d[0]), max(1.0, d[0]) + max(1.5, d[1])]
    for cue, start in zip(cues, starts):
        assert abs(cue.start.total_seconds() - start) <= 0.15, (cue, start)
    from tests.test_speech import _audio, _heard_at
    from text_to_manim.speech import cache

    pcm, rate = _audio(video)
    for cue, start in zip(cues, starts):
        wav = cache.lookup(media / "cache" / "speech", cue.content, engines.pick(), 1.0).path
        assert abs(_heard_at(pcm, rate, wav, start) - start) <= 0.15, cue.content
    notes = Path(result["notes_md"]).read_text()
    assert "Transcript" in notes and all(t in notes for t in PLAIN_SAID), notes
    assert f"{captions.clock(cues[2].start.total_seconds())}" in notes
    tex = Path(result["notes_tex"]).read_text()
    assert "Transcript" in tex and "We draw a circle." in tex
    if result["notes_pdf"]:
        assert Path(result["notes_pdf"]).stat().st_size > 1000


def _caption_changes(plain: Path, burned: Path) -> tuple[float, float]:
    """At the middle of the second caption: the share of pixels that changed near the bottom (where the
    caption goes), and away from it."""
    cue = _cues(burned)[1]
    t = (cue.start.total_seconds() + cue.end.total_seconds()) / 2
    a, b = _frame_at(plain, t), _frame_at(burned, t)
    h = a.shape[0]
    band = np.abs(a[int(h * 0.8):] - b[int(h * 0.8):]).sum(axis=2)
    rest = np.abs(a[:int(h * 0.6)] - b[:int(h * 0.6)]).sum(axis=2)
    return float((band > 150).mean()), float((rest > 150).mean())


@pytest.mark.slow
def test_burned_captions_show_in_the_picture_while_their_cue_is_on(settings):
    plain = _run(settings, PLAIN_SCENE, narrate=True, render_jobs=1)
    burned = _run(settings, PLAIN_SCENE, narrate=True, render_jobs=1, burn_captions=True)
    video = Path(burned.video)
    streams = mux.probe(video)
    assert streams.audio is not None and abs(streams.audio - streams.video) <= 0.1, streams
    band, rest = _caption_changes(Path(plain.video), video)
    assert band > 0.003, "no caption drawn near the bottom"
    assert rest < 0.001, "the picture changed away from the caption"
    # no caption after the last cue has ended: the frames agree there too
    end = streams.video - 0.1
    last = np.abs(_frame_at(Path(plain.video), end) - _frame_at(video, end)).sum(axis=2)
    assert (last > 150).mean() < 0.001


@pytest.mark.slow
def test_narration_off_gives_a_silent_video_without_captions(settings):
    result = _run(settings, GTTS_SCENE, narration=False, render_jobs=1)
    video = Path(result.video)
    assert mux.probe(video).audio is None
    assert not (video.parent / "captions.vtt").exists() and result.captions is None


@pytest.mark.slow
def test_a_gallery_scene_chosen_with_narration_on_speaks(settings):
    events = list(pipeline.run(pipeline.Request(gallery_slug="pythagorean", settings=settings.with_(narrate=True))))
    result = events[-1].result
    assert result.ok, [e.short() for e in result.errors]
    streams = mux.probe(Path(result.video))
    assert streams.audio is not None and abs(streams.audio - streams.video) <= 0.1, streams
    cues = _cues(Path(result.video))
    assert cues[0].content.startswith("Pythagorean theorem") and len(cues) >= 4
    assert "## Transcript" in Path(result.notes_md).read_text()


def test_speech_threads_setting(monkeypatch):
    from text_to_manim.speech import narration

    monkeypatch.setenv("T2M_SPEECH_THREADS", "3")
    assert narration.threads() == 3
    monkeypatch.setenv("T2M_SPEECH_THREADS", "")
    assert 1 <= narration.threads() <= min(os.cpu_count() or 1, narration.MAX_THREADS)


@pytest.mark.slow
def test_a_models_voiceover_is_spoken_while_it_still_writes_the_code(settings):
    """Each literal voiceover text is synthesised as soon as its string has streamed, while the model
    still writes the rest of the code: the texts are in the audio cache before the notes begin, and the
    narration step before validation synthesises nothing."""
    answer = f"## Code\n```python\n{GTTS_SCENE}```\n## Notes\n# Circles\n\nA circle becomes a square.\n"
    with ScriptedLLM([Reply(content=answer, chunk_size=40, delay=0.15)]) as llm:
        s = settings.with_(provider="openai", base_url=llm.base_url, api_key="k", model="m", max_repair_rounds=0,
                           render_jobs=1)
        spoken = settings.media_dir / "cache" / "speech"
        made_before_notes = None  # texts in the audio cache when the notes began to stream
        for ev in pipeline.run(pipeline.Request(prompt="a circle turns into a square", settings=s, anchor=False)):
            if made_before_notes is None and isinstance(ev, NotesDelta):
                made_before_notes = len(list(spoken.glob("*.wav")))
    result = ev.result
    assert result.ok, [e.short() for e in result.errors]
    log = Path(result.log).read_text()
    assert "narration: 3 text(s), 0 synthesised, 3 from the cache" in log, log[-1500:]
    assert len(list(spoken.glob("*.wav"))) == 3
    assert made_before_notes is not None and made_before_notes >= 2, made_before_notes
    assert mux.probe(Path(result.video)).audio is not None


@pytest.mark.slow
def test_switching_narration_off_is_not_answered_by_the_cached_narrated_video(settings):
    """The result cache keys a speaking scene on its speech settings: the same code rendered again with
    narration off is rendered anew (silent), not taken from the narrated render before it."""
    s = settings.with_(result_cache_mb=512, render_jobs=1)
    spoken = _run(s, GTTS_SCENE)
    assert mux.probe(Path(spoken.video)).audio is not None
    silent = _run(s, GTTS_SCENE, narration=False)
    assert silent.cached_from is None and mux.probe(Path(silent.video)).audio is None
    again = _run(s, GTTS_SCENE)  # narrated again: from the cache, with its captions
    assert again.cached_from == spoken.job_id and again.captions and Path(again.captions).is_file()
    assert "Here is a circle." in Path(again.notes_md).read_text()  # the transcript, from the cached captions


def test_captions_read_back_from_srt_as_written():
    cues = [captions.Cue(0.0, 1.25, "One."), captions.Cue(61.5, 63.0, "Two, with --> an arrow.")]
    back = captions.from_srt(captions.to_srt(cues))
    assert [(c.start, c.end) for c in back] == [(0.0, 1.25), (61.5, 63.0)]
    assert back[1].text == "Two, with -> an arrow." and captions.clock(61.5) == "1:01.5"


@pytest.mark.slow
def test_the_notes_pdf_holds_the_transcript_once(settings):
    from pypdf import PdfReader

    result = _run(settings, GTTS_SCENE, render_jobs=1)
    md = Path(result.notes_md).read_text()
    assert md.count("Transcript") == 1 and all(t in md for t in speech_texts()), md
    pdf = "".join(page.extract_text() for page in PdfReader(result.notes_pdf).pages)
    assert pdf.count("Transcript") == 1 and "Here is a circle." in pdf, pdf


def speech_texts() -> list[str]:
    from text_to_manim.speech import narration

    return narration.collect(GTTS_SCENE)


def test_a_transcript_written_again_replaces_the_one_before(settings):
    """Notes of their own keep their text; a second transcript (a repair round's render) replaces the first
    in notes.md and notes.tex, never adds a second."""
    from text_to_manim.pipeline import notes as notes_mod
    from text_to_manim.pipeline import transcript
    from text_to_manim.pipeline.state import Request

    st = JobState(Request(code="x = 1", settings=settings, notes_pdf=False))
    paths = notes_mod.write(st.job.dir, "# Circles\n\nA circle is round.\n\n## Transcript of history\n\nOld.")
    st.result.notes_md, st.result.notes_tex = paths["notes_md"], paths["notes_tex"]
    first = [{"start": 0.0, "end": 1.0, "text": "One."}, {"start": 1.0, "end": 2.5, "text": "Two."}]
    assert transcript._write(st, speech_cues(first))
    assert not transcript._write(st, speech_cues(first))  # the same captions: nothing to change
    later = [{"start": 0.0, "end": 1.2, "text": "One."}, {"start": 1.2, "end": 2.6, "text": "Two, later."}]
    assert transcript._write(st, speech_cues(later))
    for path in (st.result.notes_md, st.result.notes_tex):
        text = Path(path).read_text()
        assert "A circle is round." in text and "Transcript of history" in text and "Old." in text, text
        assert "Two, later." in text and "Two." not in text.replace("Two, later.", "")
    assert Path(st.result.notes_md).read_text().count("## Transcript\n") == 1
    assert Path(st.result.notes_tex).read_text().count(r"\section*{Transcript}") == 1


def speech_cues(reported: list[dict]):
    from text_to_manim.speech import narration

    return narration.cues_of([{"event": "cue", **c} for c in reported])


@pytest.mark.slow
def test_a_gif_gets_its_captions_burned_in_when_asked(settings):
    """A GIF has no sound and no subtitle track: with burn-in asked for, its captions are drawn into its
    frames (and the log says there is no sound); the picture away from the caption stays as it was."""
    plain = _run(settings, PLAIN_SCENE, narrate=True, render_jobs=1, format="gif")
    burned = _run(settings, PLAIN_SCENE, narrate=True, render_jobs=1, format="gif", burn_captions=True)
    video = Path(burned.video)
    assert video.suffix == ".gif" and mux.probe(video).audio is None
    assert "the captions are burned into its frames" in Path(burned.log).read_text()
    band, rest = _caption_changes(Path(plain.video), video)
    assert band > 0.003, "no caption drawn near the bottom"
    assert rest < 0.01, "the picture changed away from the caption"  # (each GIF has a palette of its own)
