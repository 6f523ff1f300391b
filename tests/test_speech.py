"""Narration and captions (issue 18): real synthesis (Piper's packaged voice, espeak-ng), real renders in
the sandbox, the video's audio read back with PyAV. No mocks."""
from __future__ import annotations

import ast
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from text_to_manim import jobs
from text_to_manim.events import Finished
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.sandbox import targets
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.sandbox.runner import mux
from text_to_manim.scene import render as scene_render
from text_to_manim.speech import cache, captions, engines
from text_to_manim.speech import narration as speech

DATA = Path(__file__).parent / "data"
GTTS_SCENE = (DATA / "voiceover_gtts.py").read_text()
VTT_STAMP = r"\d{2}:\d{2}:\d{2}\.\d{3}"
PACKAGE = Path(__file__).resolve().parent.parent / "text_to_manim"
RUNTIME_TEXT = GTTS_SCENE.replace('text="And that is all."', 'text=f"And that is all, {1 + 1} times."')


def _speech(settings, voice: str = "") -> speech.SpeechSettings:
    return speech.SpeechSettings(voice=voice, root=settings.media_dir / "cache" / "speech")


def _run(settings, code: str):
    events = list(pipeline.run(pipeline.Request(code=code, settings=settings, sanitize=False)))
    assert isinstance(events[-1], Finished)
    result = events[-1].result
    assert result.ok, [e.short() for e in result.errors]
    return result


def _audio(video: Path) -> tuple[np.ndarray, int]:
    with av.open(str(video)) as c:
        stream = c.streams.audio[0]
        pcm = np.concatenate([f.to_ndarray().mean(axis=0) for f in c.decode(stream)])
        return pcm, stream.rate


def _resample(pcm: np.ndarray, rate: int, to: int = 8000) -> np.ndarray:
    n = int(len(pcm) * to / rate)
    return np.interp(np.linspace(0, len(pcm) - 1, n), np.arange(len(pcm)), pcm)


def _heard_at(track: np.ndarray, rate: int, wav: Path, near: float, window: float = 0.4) -> float:
    """Where in the soundtrack `wav`'s first second is heard, searching `window` s around `near`:
    the lag of the best cross-correlation (8 kHz)."""
    ref = _resample(mux.read_wav(wav), mux.RATE)[:8000]
    sound = _resample(track, rate)
    a = max(0, int((near - window) * 8000))
    seg = sound[a:a + int(2 * window * 8000) + len(ref)]
    lag = int(np.argmax(np.correlate(seg, ref, mode="valid")))
    return (a + lag) / 8000


# -- voices ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["piper", "espeak"])
def test_each_voice_speaks_offline(name, tmp_path):
    voice = engines.pick(name)
    said = voice.synthesize("The area under the curve is one third.", tmp_path / "a.wav")
    pcm = mux.read_wav(said.path)
    assert 1.0 < said.duration < 6.0
    assert np.abs(pcm).max() > 0.1  # real speech, not silence


def test_doctor_lists_the_voices():
    found = {v.name: v for v in engines.voices()}
    assert found["piper"].available and "joe" in found["piper"].detail
    assert found["espeak"].available
    assert engines.pick().name == "piper"  # the neural voice is the default when installed


def test_unknown_voice_says_which_exist():
    with pytest.raises(ValueError, match="piper, espeak"):
        engines.pick("gtts")


# -- the trusted step --------------------------------------------------------------------------------------

def test_a_scene_cannot_make_the_trusted_step_speak_without_end(settings, tmp_path):
    """Texts a run computes are spoken by the trusted step: a scene reporting page after page of them gets
    MAX_SPEECH_CHARS of speech in all, the rest left silent, and the job's log says so."""
    pages = tuple(f"Page {i}: " + "many words " * 100 for i in range(40))  # ~1,100 characters each
    done = speech.prepare("", tmp_path, settings, _speech(settings, "espeak"), also=pages)
    fits = speech.MAX_SPEECH_CHARS // len(pages[0])
    assert done.texts == done.synthesized == fits, done
    assert f"{len(pages) - fits} text(s) left silent" in done.error
    assert len(json.loads((tmp_path / "narration.json").read_text())) == fits


def test_the_audio_cache_keeps_to_its_bound_least_recently_used_out_first(settings, tmp_path):
    voice = engines.pick("espeak")
    root = tmp_path / "speech"
    texts = [f"Sentence number {i} of the cache test." for i in range(6)]
    made = [cache.get(root, t, voice, 1.0).speech for t in texts]
    for i, s in enumerate(made):  # made long ago, oldest first
        os.utime(s.path, (1000.0 + i, 1000.0 + i))
    assert cache.lookup(root, texts[0], voice, 1.0) is not None  # used now: the most recent
    limit = sum(s.path.stat().st_size for s in made) - made[0].path.stat().st_size
    dropped = cache.trim(root, limit_bytes=limit)
    assert dropped >= 1 and made[0].path.exists() and not made[1].path.exists()
    assert sum(p.stat().st_size for p in root.glob("*.wav")) <= limit


def test_literal_texts_are_collected_and_run_time_texts_left_out():
    assert speech.collect(GTTS_SCENE) == ["Here is a circle.", "Now it turns into a square, just like that.",
                                          "And that is all."]
    assert "And that is all, 2 times." not in speech.collect(RUNTIME_TEXT)
    assert len(speech.collect(RUNTIME_TEXT)) == 2


def test_the_same_narration_twice_is_synthesised_once(settings, tmp_path):
    first_job, second_job = tmp_path / "a", tmp_path / "b"
    first_job.mkdir()
    second_job.mkdir()
    root = _speech(settings).root
    first = speech.prepare(GTTS_SCENE, first_job, settings, _speech(settings))
    made = {p.name: (p.stat().st_ino, p.read_bytes()) for p in root.glob("*.wav")}
    second = speech.prepare(GTTS_SCENE, second_job, settings, _speech(settings))
    assert (first.synthesized, first.cached) == (3, 0), first
    assert (second.synthesized, second.cached) == (0, 3), second
    assert len(made) == 3 and {p.name: (p.stat().st_ino, p.read_bytes()) for p in root.glob("*.wav")} == made  # not rewritten (a rewrite is a new file: os.replace)
    a, b = json.loads((first_job / "narration.json").read_text()), json.loads((second_job / "narration.json").read_text())
    assert a == b
    # the default mix: the scene gets durations, never Manim's add_sound; the render run gets copies to mux in
    assert all("audio" not in e and (second_job / e["wav"]).is_file() for e in b.values()), b
    # another speed is another entry
    faster = speech.prepare(GTTS_SCENE, second_job, settings, speech.SpeechSettings(
        speed=1.3, root=settings.media_dir / "cache" / "speech"))
    assert faster.synthesized == 3
    assert json.loads((second_job / "narration.json").read_text())["Here is a circle."]["duration"] < \
        a["Here is a circle."]["duration"]


def test_cache_key_changes_with_the_engine_version():
    class Upgraded(engines.EspeakVoice):
        @property
        def version(self) -> str:
            return "espeak-ng 9.99"

    assert cache.key("hi", engines.EspeakVoice(), 1.0) != cache.key("hi", Upgraded(), 1.0)


# -- captions ------------------------------------------------------------------------------------------------

def test_captions_are_valid_webvtt_and_srt(tmp_path):
    cues = [captions.Cue(0.0, 1.25, "Here is <b>x</b> & y"), captions.Cue(3661.5, 3663.0, "a --> b\n\nsecond")]
    vtt, srt_file = captions.write(tmp_path / "v.mp4", cues)
    parsed = list(srt.parse(srt_file.read_text()))
    assert [(p.start.total_seconds(), p.end.total_seconds()) for p in parsed] == [(0.0, 1.25), (3661.5, 3663.0)]
    assert parsed[1].content == "a -> b second"  # one line: a blank line would end the cue early
    text = vtt.read_text()
    blocks = text.strip().split("\n\n")
    assert blocks[0] == "WEBVTT"
    for block in blocks[1:]:
        ident, timing, body = block.split("\n")
        assert re.fullmatch(rf"{VTT_STAMP} --> {VTT_STAMP}", timing)
        assert "-->" not in body and "<" not in body
    assert "01:01:01.500 --> 01:01:03.000" in text and "&lt;b&gt;x&lt;/b&gt; &amp; y" in text


# -- in a real render ---------------------------------------------------------------------------------------

def _expected_starts(narration: dict) -> list[float]:
    """Block starts from the scene's structure (tests/data/voiceover_gtts.py) and the voice's durations."""
    d = [narration[t]["duration"] for t in speech.collect(GTTS_SCENE)]
    return [0.0, d[0] + 0.5, d[0] + 0.5 + d[1]]


def _check_narrated(result, manim_mix: bool = False) -> None:
    video = Path(result.video)
    streams = mux.probe(video)
    assert streams.audio is not None, "the video has no audio stream"
    assert abs(streams.audio - streams.video) <= 0.1, streams
    narration = json.loads((video.parent / "narration.json").read_text())
    expected = _expected_starts(narration)
    cues = list(srt.parse((video.parent / "captions.srt").read_text()))
    assert [c.content for c in cues] == speech.collect(GTTS_SCENE)
    for cue, start in zip(cues, expected):
        assert abs(cue.start.total_seconds() - start) <= 0.15, (cue, start)
    # each block's speech is heard in the soundtrack where its caption starts
    pcm, rate = _audio(video)
    for cue, start in zip(cues, expected):
        wav = cache.lookup(result_settings(video), cue.content, engines.pick(), 1.0).path
        heard = _heard_at(pcm, rate, wav, start)
        assert abs(heard - cue.start.total_seconds()) <= 0.15, (cue.content, heard, start)
    assert (video.parent / "captions.vtt").read_text().startswith("WEBVTT")
    assert not [f for f in result.fixes if "add_sound" in f.what], result.fixes
    log = (video.parent / "render.log").read_text()
    if manim_mix:  # Manim mixed the sounds (kept, or padded to the video's length when it ends early)
        assert "audio as mixed by Manim" in log or "(the render's was" in log, log[-500:]
    else:  # the run that rendered the whole scene, or joined its chunks, muxed the track in: no run of its own
        assert "caption(s); audio built from the audio cache, muxed in by the render (" in log, log[-500:]


def result_settings(video: Path) -> Path:
    """The audio cache of the media folder a job's video lies in (media/jobs/<id>/video)."""
    return video.parent.parent.parent / "cache" / "speech"


@pytest.mark.slow
def test_gtts_scene_renders_offline_with_speech_and_captions(settings):
    """A scene written for gTTS, in the sandbox (no network), in parallel chunks (joined without audio,
    so the track is rebuilt from the cache)."""
    _check_narrated(_run(settings.with_(render_jobs=2), GTTS_SCENE))


@pytest.mark.slow
def test_one_process_render_keeps_manims_own_mix(settings, monkeypatch):
    """T2M_NARRATION_MIX=manim: the scene's add_sound (Manim's mix) is kept when it fits the video."""
    monkeypatch.setenv("T2M_NARRATION_MIX", "manim")
    _check_narrated(_run(settings.with_(render_jobs=1), GTTS_SCENE), manim_mix=True)


@pytest.mark.slow
def test_one_process_render_gets_the_apps_track(settings):
    _check_narrated(_run(settings.with_(render_jobs=1), GTTS_SCENE))


@pytest.mark.slow
def test_a_text_computed_at_run_time_is_spoken_like_a_literal_one(settings):
    """Validation reports the text a scene computes (its length was estimated there); the trusted step
    speaks it before the render, which then times and plays it like a literal one."""
    result = _run(settings.with_(render_jobs=1), RUNTIME_TEXT)
    video = Path(result.video)
    cues = list(srt.parse((video.parent / "captions.srt").read_text()))
    assert cues[-1].content == "And that is all, 2 times."
    said = cache.lookup(result_settings(video), cues[-1].content, engines.pick(), 1.0)
    assert said is not None, "the run-time text was not synthesised"
    assert abs((cues[-1].end - cues[-1].start).total_seconds() - said.duration) < 0.05
    pcm, rate = _audio(video)
    start = cues[-1].start.total_seconds()
    assert abs(_heard_at(pcm, rate, said.path, start) - start) <= 0.15
    streams = mux.probe(video)
    assert streams.audio is not None and abs(streams.audio - streams.video) <= 0.1
    assert "1 text(s) computed at run time spoken too" in Path(result.log).read_text()


def _tiny_video(path: Path, codec: str, seconds: float = 2.0, fps: int = 15) -> None:
    with av.open(str(path), "w") as c:
        s = c.add_stream(codec, rate=fps)
        s.width, s.height, s.pix_fmt = 64, 64, "yuv420p"
        for i in range(int(seconds * fps)):
            img = np.full((64, 64, 3), (i * 8) % 255, dtype=np.uint8)
            c.mux(s.encode(av.VideoFrame.from_ndarray(img, format="rgb24")))
        c.mux(s.encode(None))


def _video_packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as c:
        return [bytes(p) for p in c.demux(c.streams.video[0]) if p.size]


def _limits(settings) -> sandbox.Limits:
    return sandbox.Limits.for_quality("l", settings.render_timeout, settings.job_disk_mb * sandbox.MIB).for_job(settings)


def _mux_in_sandbox(settings, job: jobs.Job, video: str, cues: list[dict]):
    """The runner's `mux` mode on `video` (in the job folder), in the real sandbox: (its messages, errors)."""
    runs = targets.choose(job.dir, settings)
    staged = speech.stage(video, f"{scene_render.NARRATED_DIR}/{Path(video).name}", cues, job.dir, settings,
                          _speech(settings, "espeak"))
    assert staged is not None and staged.args == ["mux", mux.PLAN_FILE]
    return runs, scene_render._run_one(runs, job, staged.args, _limits(settings), None)


@pytest.mark.parametrize("suffix, codec, audio_codec", [(".mp4", "libx264", "aac"), (".webm", "libvpx-vp9", "opus")])
def test_mux_mode_adds_audio_of_the_videos_length_without_reencoding(settings, suffix, codec, audio_codec):
    """The runner's mux mode, in the sandbox, from the plan and WAV copies the trusted step writes."""
    job = jobs.new_job(settings.jobs_dir)
    video = job.dir / f"v{suffix}"
    _tiny_video(video, codec)
    before = _video_packets(video)
    said = cache.get(_speech(settings).root, "One two.", engines.pick("espeak"), 1.0)
    assert said.speech.duration < 2.0
    runs, (messages, errors) = _mux_in_sandbox(settings, job, video.name, [
        {"event": "cue", "start": 0.5, "end": 0.5 + said.speech.duration, "text": "One two."}])
    assert not errors, errors
    report = next(m for m in messages if m["event"] == "muxed")
    out = runs.resolve(report["path"])
    assert out is not None and out != video and report["remuxed"] and report["found_audio"] is None
    streams = mux.probe(out)
    assert streams.audio is not None and abs(streams.audio - streams.video) <= 0.1, streams
    assert abs(report["video"] - streams.video) < 1e-6 and abs(report["audio"] - streams.audio) < 1e-6
    assert _video_packets(out) == before  # the video stream copied, not re-encoded
    with av.open(str(out)) as c:
        assert c.streams.audio[0].codec_context.name == audio_codec
    pcm, rate = _audio(out)  # padded with silence before the speech, which is heard at its start
    assert abs(_heard_at(pcm, rate, said.speech.path, 0.5) - 0.5) <= 0.05


def test_only_the_sandboxed_runner_parses_videos():
    """A rendered video is the scene's output: no module of the app (outside the runner, which runs in the
    sandbox) imports PyAV."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(PACKAGE / "sandbox" / "runner"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(PACKAGE)}:{node.lineno}" for n in names if n.split(".")[0] == "av"]
    assert not found, found


@pytest.mark.slow
def test_a_narrated_render_never_opens_the_video_in_the_app(settings, monkeypatch):
    """With PyAV unimportable in the app's process the narration is still muxed (in the sandbox)."""
    monkeypatch.setitem(sys.modules, "av", None)  # `import av` here raises ImportError
    result = _run(settings.with_(render_jobs=1), GTTS_SCENE)
    monkeypatch.undo()
    _check_narrated(result)


@pytest.mark.slow
def test_a_scene_that_spoils_its_narration_copies_still_gets_the_trusted_track(settings):
    """The run that renders the whole scene muxes the track from the copies in its folder; a scene that
    overwrites them makes that fail: the app then muxes in a run of its own from fresh copies of the cache."""
    spoil = ("        from pathlib import Path\n"
             "        for f in Path('.').glob('narration-*.wav'):\n"
             "            f.write_bytes(b'not a wav')\n")
    code = GTTS_SCENE + spoil  # at the end of construct, just before the run muxes
    result = _run(settings.with_(render_jobs=1, early_render=False), code)  # one render run, after validation
    assert result.ok, [e.short() for e in result.errors]
    log = Path(result.log).read_text()
    assert "the render could not mux it in" in log and "muxing in a run of its own" in log, log[-800:]
    video = Path(result.video)
    streams = mux.probe(video)
    assert streams.audio is not None and abs(streams.audio - streams.video) <= 0.1, streams
    pcm, rate = _audio(video)
    first = cache.lookup(result_settings(video), "Here is a circle.", engines.pick(), 1.0).path
    assert abs(_heard_at(pcm, rate, first, 0.0)) <= 0.15  # the voice, not the scene's bytes


def test_a_corrupt_video_from_a_run_gives_a_silent_video_and_says_why(settings, monkeypatch):
    """A run's 'video' that is garbage (a crafted file for libav): the mux run in the sandbox fails, the app
    logs why, keeps the video as it was and still writes captions; nothing in the app parses it."""
    job = jobs.new_job(settings.jobs_dir)
    garbage = job.dir / "media" / "part0" / "Scene.mp4"
    garbage.parent.mkdir(parents=True)
    garbage.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 64)
    speech.prepare(GTTS_SCENE, job.dir, settings, _speech(settings, "espeak"))
    cues = [{"event": "cue", "start": 2.0 * i, "end": 2.0 * i + 1.5, "text": t}
            for i, t in enumerate(speech.collect(GTTS_SCENE))]
    final = job.dir / "Scene.mp4"
    runs = targets.choose(job.dir, settings)
    monkeypatch.setitem(sys.modules, "av", None)  # the app itself could not parse it even if it tried
    narrated = scene_render._narrate(runs, job, garbage.resolve(), final, cues, _limits(settings), None, settings)
    assert narrated is not None and not narrated.remuxed
    assert "cannot be read" in narrated.error and "Scene.mp4" in narrated.error, narrated.error
    assert final.read_bytes() == garbage.read_bytes()  # kept as the run left it: silent
    log = job.log_file.read_text()
    assert "narration: 3 caption(s); audio missing: the rendered video Scene.mp4 cannot be read" in log, log[-800:]
    assert [c.content for c in srt.parse((job.dir / "captions.srt").read_text())] == speech.collect(GTTS_SCENE)


def test_a_reported_video_length_is_clamped(tmp_path):
    """The mux run's numbers are untrusted: captions are bounded by a finite, sane length or by none."""
    job = speech.MuxJob(["mux"], [], [captions.Cue(1.0, 5.0, "a"), captions.Cue(9.0, 10.0, "b")])
    for reported, ends in [(3.0, [3.0]), (1e308, [5.0, 10.0]), (-4.0, []),
                           (float("nan"), None), ("3", None), (True, None)]:
        got = speech.finish(tmp_path / "v.mp4", job, {"event": "muxed", "video": reported, "audio": 1e308})
        if ends is None:  # no length at all: the report is not believed
            assert got.error == speech.MUX_NO_REPORT and [c.end for c in got.cues] == [5.0, 10.0], reported
        else:
            assert not got.error and [c.end for c in got.cues] == ends, reported
            assert got.found is not None and got.found.video <= speech.MAX_VIDEO_SECONDS
    assert len(list(srt.parse((tmp_path / "captions.srt").read_text()))) == 2


# -- an OpenAI-compatible speech endpoint (a real HTTP server on 127.0.0.1, speaking with espeak-ng) ---------

@pytest.fixture
def speech_server(tmp_path, monkeypatch):
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
            if self.headers.get("Authorization") != "Bearer tts-key":
                self.send_response(401)
                self.end_headers()
                return
            wav = engines.EspeakVoice().synthesize(body["input"], tmp_path / f"r{len(requests)}.wav").path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "audio/wav")
            self.send_header("Content-Length", str(len(wav)))
            self.end_headers()
            self.wfile.write(wav)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("T2M_TTS_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv("T2M_TTS_API_KEY", "tts-key")
    yield requests
    server.shutdown()


def test_an_openai_compatible_endpoint_speaks_when_configured_and_asked(speech_server, settings, tmp_path):
    assert engines.pick().name == "piper"  # configured, but never chosen unless named: offline by default
    said = engines.pick("openai").synthesize("Hello there.", tmp_path / "h.wav", speed=1.25)
    assert said.duration > 0.3
    req = speech_server[-1]
    assert req["path"] == "/v1/audio/speech" and req["input"] == "Hello there."
    assert req["response_format"] == "wav" and req["speed"] == 1.25 and req["model"] == "tts-1"
    job = tmp_path / "job"
    job.mkdir()
    remote = speech.SpeechSettings(voice="openai", root=settings.media_dir / "cache" / "speech")
    assert speech.prepare(GTTS_SCENE, job, settings, remote).synthesized == 3
    sent = len(speech_server)
    assert speech.prepare(GTTS_SCENE, job, settings, remote).cached == 3 and len(speech_server) == sent


def test_the_openai_voice_without_an_endpoint_says_what_to_set(monkeypatch):
    monkeypatch.delenv("T2M_TTS_BASE_URL", raising=False)
    with pytest.raises(ValueError, match="T2M_TTS_BASE_URL"):
        engines.pick("openai")
