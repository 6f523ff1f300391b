"""Narration and captions, offline: speech made by a trusted step, never by scene code.

- `prepare(code, job_dir, settings)` (before validation): the literal `voiceover(text=...)` texts found
  in the code's AST are synthesised once each into the shared audio cache (cache.py), and the job gets
  `narration.json` (text -> seconds) for the sandboxed run's stand-in `manim_voiceover`
  (sandbox/runner/voiceover.py), which times each block and reports it as a cue.
- the track is muxed IN THE SANDBOX (the video is the scene's output: nothing in this process ever parses
  it), without re-encoding the video, by a run that is there anyway: with the app's mix, `prepare` also
  gives the job copies of the cached WAVs (named in narration.json as `wav`), and the run that renders the
  whole scene places each at its block's start and muxes the track in itself; a chunked render's join
  muxes it in while joining, from a plan `stage(...)` writes (copies of the cues' WAVs, each at its cue's
  start). When neither did (burned captions, an early render cut into a chunk, a failure), the runner's
  `mux` mode does it in a run of its own from that plan, keeping the video's own audio when it is as long
  as the video (within 0.1 s). `finish(...)` then writes captions.vtt and captions.srt beside the final
  video from the cues, bounded by the length the run reported. So captions and audio come from the same
  timings.
Who mixes (T2M_NARRATION_MIX): `app` (default) as above: the scene never sees the audio, and the same path
serves chunked renders (joined without audio). `manim`: copies of the audio go into the job folder
(`narration-<key>.wav`, named in narration.json) and the stand-in adds them with Manim's own `add_sound`;
Manim's mix is kept when it matches the video. Manim encodes its mix far slower (bench/speech_bench.py).
Settings from the environment: T2M_NARRATION (1/0), T2M_VOICE (piper | espeak | openai), T2M_VOICE_SPEED,
T2M_NARRATION_MIX (app | manim); the openai voice: T2M_TTS_BASE_URL, T2M_TTS_API_KEY, T2M_TTS_MODEL, T2M_TTS_VOICE.
"""
from __future__ import annotations

import ast
import json
import math
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from text_to_manim import config, nofollow, syntax
from text_to_manim.sandbox import fs as sandbox_fs
from text_to_manim.sandbox.runner import mux as runner_mux
from text_to_manim.sandbox.runner.mux import TOLERANCE, Streams
from text_to_manim.sandbox.runner.voiceover import NARRATION_FILE, spoken_text
from text_to_manim.speech import cache, captions, engines

MAX_TEXTS = 200  # voiceover blocks one scene may have synthesised
MAX_TEXT_CHARS = 4000
# All the speech of one job (~25 minutes): texts a run computes are spoken by the trusted step, so a scene
# must not make it speak for hours or fill the audio cache. Texts beyond it stay silent (estimated).
MAX_SPEECH_CHARS = 20_000
OVER_BUDGET = "{n} text(s) left silent: a job speaks at most {texts} texts and {chars} characters"
MAX_VIDEO_SECONDS = 24 * 3600.0  # a length a run reports beyond this is not believed
MUX_NO_REPORT = "the mux run reported no video"
MAX_THREADS = 4
PREFETCH_WAIT = 300.0  # seconds the narration step waits for speech begun ahead (then it makes the rest)
VOICEOVER_CALL = re.compile(r"\bvoiceover\s*\(")


@dataclass(frozen=True)
class SpeechSettings:
    enabled: bool = True
    voice: str = ""  # "" = the best available
    speed: float = 1.0
    root: Path = Path("media/cache/speech")
    mix: str = "app"  # "app": the trusted step muxes the track; "manim": the scene's add_sound
    burn: bool = False  # captions drawn into the picture by the mux run (the video is re-encoded then)

    @classmethod
    def from_env(cls, settings: config.Settings) -> SpeechSettings:
        """From the job's settings (T2M_NARRATION, T2M_VOICE, T2M_VOICE_SPEED, T2M_BURN_CAPTIONS, or the
        app's and the CLI's choices); the mix from the environment."""
        speed = settings.voice_speed if engines.MIN_SPEED <= settings.voice_speed <= engines.MAX_SPEED else 1.0
        return cls(enabled=settings.narration, voice=settings.voice, speed=speed,
                   root=settings.media_dir / "cache" / "speech", burn=settings.burn_captions,
                   mix="manim" if os.environ.get("T2M_NARRATION_MIX", "").strip().lower() == "manim" else "app")

    @property
    def in_run(self) -> bool:
        """The app's track is muxed in by the run that renders the whole scene (or joins its chunks), not by
        a run of its own; burned captions re-encode the picture, which a mux run of its own does."""
        return self.enabled and self.mix == "app" and not self.burn

    def signature(self) -> str:
        """What of these settings shapes a narrated video (for the result cache's key)."""
        return f"{self.enabled} {self.voice or 'auto'} {self.speed:.3f} {self.mix} burn={self.burn}"


@dataclass
class Narration:
    """What prepare did for one job."""

    texts: int = 0
    synthesized: int = 0
    cached: int = 0
    seconds: float = 0.0
    voice: str = ""
    error: str = ""


@dataclass
class Captions:
    vtt: Path
    srt: Path
    cues: list = field(default_factory=list)  # list[captions.Cue]
    remuxed: bool = False  # the audio track was rebuilt from the cache
    burned: bool = False  # a GIF's captions, burned into its frames (it carries no sound)
    found: Optional[Streams] = None  # the streams the render wrote (as the sandboxed mux run measured them)
    error: str = ""

    @property
    def how(self) -> str:
        if self.error:
            return f"missing: {self.error}"
        if self.burned:
            return "none (a GIF carries no sound): the captions are burned into its frames"
        if not self.remuxed:
            return "as mixed by Manim"
        if self.found is None or self.found.audio is None:
            return "built from the audio cache"
        return f"built from the audio cache (the render's was {self.found.audio:.2f} s for {self.found.video:.2f} s)"


# -- the texts a scene speaks literally ---------------------------------------------------------------

def collect(code: str) -> list[str]:
    """The literal texts of `voiceover(text=...)` / `voiceover("...")` calls, as spoken, each once."""
    try:
        tree = syntax.parse(code)
    except (SyntaxError, ValueError):
        return []
    strings: dict[str, str] = {}  # NAME = "literal" anywhere: a text passed by name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            strings[node.targets[0].id] = node.value.value
    texts: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "voiceover"):
            continue
        arg = next((kw.value for kw in node.keywords if kw.arg == "text"), node.args[0] if node.args else None)
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            value: Optional[str] = arg.value
        elif isinstance(arg, ast.Name):
            value = strings.get(arg.id)
        else:
            value = None  # computed at run time: the stand-in estimates its duration
        said = spoken_text(value[:MAX_TEXT_CHARS]) if value else ""
        if said and said not in texts:
            texts.append(said)
    return texts[:MAX_TEXTS]


# -- before the run -----------------------------------------------------------------------------------

def prepare(code: str, job_dir: Path, settings: config.Settings,
            speech: Optional[SpeechSettings] = None, also: tuple[str, ...] = ()) -> Narration:
    """Synthesise the scene's literal voiceover texts (once each, cached), and `also` (texts the scene
    computed at run time, as validation reported them), and give the job its copies."""
    speech = speech or SpeechSettings.from_env(settings)
    wanted = [t for t in dict.fromkeys(collect(code) + [spoken_text(t[:MAX_TEXT_CHARS]) for t in also]) if t]
    texts = within_budget(wanted[:MAX_TEXTS]) if speech.enabled else []
    result = Narration(texts=len(texts))
    if speech.enabled and len(texts) < len(wanted):
        result.error = OVER_BUDGET.format(n=len(wanted) - len(texts), texts=MAX_TEXTS, chars=MAX_SPEECH_CHARS)
    if not texts:
        return result
    start = time.monotonic()
    try:
        voice = engines.pick(speech.voice)
    except ValueError as exc:
        result.error = str(exc)
        return result
    result.voice = voice.name
    entries: dict[str, dict[str, object]] = {}  # spoken text -> duration (and the audio file it plays)
    for text, got in _speak_all(texts, voice, speech).items():
        if isinstance(got, Exception):  # one text the engine cannot say: that block is estimated, the rest speak
            result.error = f"{voice.name} could not say {text[:60]!r}: {got}"
            continue
        result.cached += got.hit
        result.synthesized += not got.hit
        entries[text] = {"duration": round(got.speech.duration, 4)}
        if speech.mix == "manim" or speech.in_run:  # a copy (the run never touches the cache), no link followed
            name = sandbox_fs.copy(got.speech.path, Path(job_dir) / f"narration-{got.speech.path.stem}.wav").name
            entries[text]["audio" if speech.mix == "manim" else "wav"] = name
    nofollow.write_text(Path(job_dir) / NARRATION_FILE, json.dumps(entries))
    if result.synthesized:
        cache.trim(speech.root, settings.speech_cache_mb * 1024 * 1024)
    result.seconds = time.monotonic() - start
    return result


def within_budget(texts: list[str], used: int = 0) -> list[str]:
    """The texts, in order, as long as they fit in MAX_SPEECH_CHARS with `used` spoken already."""
    kept = []
    for t in texts:
        used += len(t)
        if used > MAX_SPEECH_CHARS:
            break
        kept.append(t)
    return kept


def computed_at_run_time(reported: list[dict], settings: config.Settings) -> tuple[str, ...]:
    """The texts of validation's cues that no literal gave (their durations were estimated): the trusted
    step speaks them too, as it compiles formulas made at run time, and the render uses them."""
    if not SpeechSettings.from_env(settings).enabled:
        return ()
    return tuple(dict.fromkeys(c.text for c in cues_of(reported) if c.estimated))[:MAX_TEXTS]


def muxed_in_run(code: str, settings: config.Settings) -> bool:
    """Whether the render runs of `code` mux its narration themselves (see SpeechSettings.in_run)."""
    return SpeechSettings.from_env(settings).in_run and bool(VOICEOVER_CALL.search(code))


def signature(code: str, settings: config.Settings) -> str:
    """What the speech settings change in this code's video: '' for a scene that says nothing."""
    return SpeechSettings.from_env(settings).signature() if VOICEOVER_CALL.search(code) else ""


def threads() -> int:
    """Texts synthesised at once (T2M_SPEECH_THREADS; default: the cores, at most 4). The step runs before
    validation, when the job's warm worker waits idle, so every core can speak."""
    try:
        wanted = int(os.environ.get("T2M_SPEECH_THREADS", "0") or 0)
    except ValueError:
        wanted = 0
    return max(1, wanted or min(os.cpu_count() or 1, MAX_THREADS))


def _speak_all(texts: list[str], voice: engines.Voice, speech: SpeechSettings) -> dict[str, cache.Entry | Exception]:
    """Each text from the cache or synthesised now, several at once; in the texts' order."""
    def one(text: str) -> cache.Entry | Exception:
        try:
            return cache.get(speech.root, text, voice, speech.speed)
        except Exception as exc:
            return exc

    n = min(threads(), len(texts))
    if n <= 1:
        return {t: one(t) for t in texts}
    with ThreadPoolExecutor(n, thread_name_prefix="speech") as pool:
        return dict(zip(texts, pool.map(one, texts)))


# A literal voiceover text whose string has closed in code still streaming: `voiceover(text="...",` or `...)`.
# (Names, f-strings and concatenations wait for the whole code: `collect`.)
STREAMED_TEXT = re.compile(r"""\bvoiceover\s*\(\s*(?:text\s*=\s*)?"""
                           r"""(?P<lit>[rRuU]?(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))\s*[,)]""")


class Prefetch:
    """Speech made ahead of the job's narration step, from a model's code as it streams: each literal
    voiceover text is synthesised into the cache as soon as its string has closed (the model is still
    writing, the cores are idle), the rest when the code is complete. `prepare` then finds them in the
    cache (the job waits for this first, so no text is synthesised twice)."""

    def __init__(self, speech: SpeechSettings):
        self.speech = speech
        self.code, self.pos, self.whole = "", 0, False
        self.asked: set[str] = set()
        self.futures: list = []
        self.pool: Optional[ThreadPoolExecutor] = None
        self.voice: Optional[engines.Voice] = None

    @classmethod
    def start(cls, settings: config.Settings) -> Optional[Prefetch]:
        """None when narration is off (nothing will be spoken)."""
        speech = SpeechSettings.from_env(settings)
        return cls(speech) if speech.enabled else None

    def new_answer(self) -> None:
        """A new answer streams (a repair round): its code is read from its start; what was asked stays."""
        self.code, self.pos, self.whole = "", 0, False

    def feed(self, delta: str) -> None:
        """More of the code: the literal texts closed in it are asked for now."""
        self.code += delta
        texts = []
        for m in STREAMED_TEXT.finditer(self.code, self.pos):
            self.pos = m.end()
            try:
                value = syntax.literal_eval(m.group("lit"))
            except (SyntaxError, ValueError):
                continue
            if isinstance(value, str):
                texts.append(spoken_text(value[:MAX_TEXT_CHARS]))
        self._ask(texts)

    def complete(self) -> None:
        """The code is whole: texts passed by name (or missed while streaming) are asked for too."""
        if not self.whole:
            self.whole = True
            self._ask(collect(self.code))

    def _ask(self, texts: list[str]) -> None:
        fresh = [t for t in dict.fromkeys(texts) if t and t not in self.asked][:MAX_TEXTS - len(self.asked)]
        fresh = within_budget(fresh, sum(map(len, self.asked)))
        if not fresh:
            return
        if self.voice is None:
            try:
                self.voice = engines.pick(self.speech.voice)
            except ValueError:  # no voice: prepare says so in the job's log
                self.asked.update(fresh)
                return
            self.pool = ThreadPoolExecutor(threads(), thread_name_prefix="speech-prefetch")
        assert self.pool is not None
        self.asked.update(fresh)
        self.futures += [self.pool.submit(cache.get, self.speech.root, t, self.voice, self.speech.speed)
                         for t in fresh]

    def wait(self, timeout: float = PREFETCH_WAIT, cancel: Optional[threading.Event] = None) -> None:
        """Until every text asked for is made (a text that failed is made again by `prepare`, which says
        why), `timeout` has passed or `cancel` is set."""
        deadline = time.monotonic() + timeout
        for f in self.futures:
            while not f.done() and time.monotonic() < deadline and not (cancel is not None and cancel.is_set()):
                try:
                    f.exception(timeout=0.2)
                except TimeoutError:
                    continue
        if self.pool is not None:  # texts not begun yet are dropped when the job is cancelled
            self.pool.shutdown(wait=False, cancel_futures=cancel is not None and cancel.is_set())


def files(job_dir: Path) -> list[Path]:
    """The narration files a run reads (for warm-worker slots and Ray tasks, which copy a job's inputs)."""
    return sorted(Path(job_dir).glob("narration-*.wav")) + [p for p in [Path(job_dir) / NARRATION_FILE] if p.is_file()]


# -- after the run ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MuxJob:
    """The sandboxed `mux` run that gives the video its narration (sandbox/runner/mux.py)."""

    args: list[str]  # the runner's arguments; [] when the video's format carries no audio (captions only)
    files: list[Path]  # what was written into the job folder for it (a warm worker's slot needs copies)
    cues: list[captions.Cue]  # as reported, not yet bounded by the video's length


def stage(video: str, output: str, reported: list[dict], job_dir: Path, settings: config.Settings,
          speech: Optional[SpeechSettings] = None) -> Optional[MuxJob]:
    """The mux run's inputs written into the job folder: copies of the cached WAVs (trusted) and the plan
    naming them with their starts. `video` and `output` are relative to the run's folder. None: nothing
    to narrate."""
    speech = speech or SpeechSettings.from_env(settings)
    if not reported or not speech.enabled:
        return None
    cues = cues_of(reported)
    if not cues:
        return None
    gif = Path(video).suffix.lower() == ".gif"
    if Path(video).suffix.lower() not in runner_mux.CODECS and not (gif and speech.burn):
        return MuxJob([], [], cues)
    job_dir = Path(job_dir)
    copies: dict[Path, str] = {}
    clips = []
    for start, wav in [] if gif else _placed(cues, speech):
        if wav not in copies:  # a new file whatever the scene left at that name; the cache is never shown
            copies[wav] = sandbox_fs.copy(wav, job_dir / f"narration-{wav.stem}.wav").name
        clips.append({"start": round(start, 4), "audio": copies[wav]})
    burned = [{"start": c.start, "end": c.end, "text": c.text} for c in cues] if speech.burn else []
    plan = nofollow.write_text(job_dir / runner_mux.PLAN_FILE,
                               json.dumps({"video": video, "output": output, "clips": clips, "captions": burned}))
    return MuxJob(["mux", runner_mux.PLAN_FILE], [job_dir / n for n in copies.values()] + [plan], cues)


def _seconds(value: object) -> Optional[float]:
    """A length a run reported (untrusted): a finite number of seconds within MAX_VIDEO_SECONDS, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return min(max(float(value), 0.0), MAX_VIDEO_SECONDS)


def streams_of(report: Optional[dict]) -> tuple[Optional[Streams], Optional[Streams]]:
    """(the rendered video's streams, the muxed video's) from the mux run's `muxed` message."""
    if not isinstance(report, dict) or _seconds(report.get("video")) is None:
        return None, None
    video = _seconds(report.get("video")) or 0.0
    got = Streams(video, _seconds(report.get("audio")))
    return Streams(video, _seconds(report.get("found_audio"))), got


def finish(video: Path, job: MuxJob, report: Optional[dict], error: str = "") -> Captions:
    """Captions beside the final video, from the cues bounded by the video's reported length; what the
    mux run did (`report`, its `muxed` message, or `error`) said in words."""
    found, got = streams_of(report)
    length = got.video if got else float("inf")
    cues = [captions.Cue(c.start, min(c.end, length), c.text, c.estimated) for c in job.cues
            if c.start <= length + TOLERANCE]
    vtt, srt = captions.write(video, cues)
    remuxed = bool(report.get("remuxed")) if (got is not None and report) else False
    if not error and job.args and got is None:
        error = MUX_NO_REPORT
    burned = bool(report.get("burned")) if (got is not None and report) else False
    return Captions(vtt, srt, cues, remuxed=remuxed, found=found, error=error, burned=burned)


def cues_of(reported: list[dict]) -> list[captions.Cue]:
    """The run's cue messages (untrusted numbers and text): bounded, each block once (chunks repeat them)."""
    seen, out = set(), []
    for m in reported:
        try:
            start, end = float(m["start"]), float(m["end"])
        except (KeyError, TypeError, ValueError):
            continue
        text = str(m.get("text", ""))
        if not text or not (0 <= start < end <= MAX_VIDEO_SECONDS):
            continue
        key = (round(start, 2), text)
        if key not in seen:
            seen.add(key)
            out.append(captions.Cue(start, end, text, bool(m.get("estimated"))))
    return sorted(out, key=lambda c: c.start)


def _placed(cues: list[captions.Cue], speech: SpeechSettings) -> list[tuple[float, Path]]:
    """(start, cached WAV) for each cue with audio; from the trusted cache, never the job folder."""
    try:
        voice = engines.pick(speech.voice)
    except ValueError:
        return []
    placed = []
    for c in cues:
        found = None if c.estimated else cache.lookup(speech.root, c.text, voice, speech.speed)
        if found is not None:
            placed.append((c.start, found.path))
    return placed
