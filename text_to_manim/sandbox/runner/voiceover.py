"""A stand-in for `manim_voiceover`, so scenes written for it run in the sandbox with no network.

Models write `class S(VoiceoverScene)`, `self.set_speech_service(GTTSService())` and
`with self.voiceover(text="...") as tracker: self.play(..., run_time=tracker.duration)`. Here no speech is
made: a trusted step synthesised each literal text before the run (text_to_manim/speech) and left
NARRATION_FILE in the run's folder, a map text -> {"duration": seconds[, "audio": file]}. Whatever service
the code names is accepted and ignored (the app's configured voice speaks). Each block:
- reports {"event": "cue", "start", "end", "text", "estimated"}: the app writes captions and muxes the
  audio at those times, so both follow the same timings;
- when the map names an audio file (T2M_NARRATION_MIX=manim), adds it with Manim's own `add_sound`;
- when it names a `wav` (the app's mix), records (start, file) in PLACED: a run that renders the whole
  scene muxes the track into its video itself (mux.narrate), with no run of its own for it.
A text computed at run time has no entry in validation: its duration is estimated from its length
(ESTIMATE_WPM words per minute) and the cue says `estimated`; the trusted step then speaks it (as it compiles
formulas made at run time) and the render finds it in the map. If it cannot, the block stays silent.

Standard library + Manim only; Manim is imported when a scene first uses it (the host imports
`spoken_text` and NARRATION_FILE from here without Manim).
"""
from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import json
import re
import sys
import types
from pathlib import Path

from .protocol import emit

NARRATION_FILE = "narration.json"  # in the run's folder, written by the trusted speech step
ESTIMATE_WPM = 160.0  # an unsynthesised (run-time) text lasts as long as read at this pace
MIN_SECONDS = 0.5
BOOKMARK = re.compile(r"<bookmark\s+mark\s*=\s*['\"]([^'\"]*)['\"]\s*/>")
MODULE = "manim_voiceover"


def spoken_text(text: str) -> str:
    """What is said: bookmarks removed, whitespace collapsed (the key under which audio is stored)."""
    return " ".join(BOOKMARK.sub(" ", text).split())


def estimate_seconds(text: str) -> float:
    return max(MIN_SECONDS, len(text.split()) * 60.0 / ESTIMATE_WPM)


def load_narration(folder: Path) -> dict:
    try:
        data = json.loads((Path(folder) / NARRATION_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class VoiceoverTracker:
    """What `with self.voiceover(...) as tracker` gives: the block's duration and where it is."""

    def __init__(self, scene, text: str, start: float, duration: float):
        self.scene, self.text, self.start_t, self.duration = scene, text, start, duration
        self.end_t = start + duration
        self.bookmark_times = self._bookmarks(text)

    def _bookmarks(self, text: str) -> dict:
        """A bookmark's time, by where it sits among the words (no word timings offline)."""
        words_before, marks = 0, {}
        total = max(len(spoken_text(text).split()), 1)
        for part in re.split(r"(<bookmark\s+mark\s*=\s*['\"][^'\"]*['\"]\s*/>)", text):
            m = BOOKMARK.fullmatch(part)
            if m:
                marks[m.group(1)] = self.start_t + self.duration * words_before / total
            else:
                words_before += len(part.split())
        return marks

    def get_remaining_duration(self, buff: float = 0.0) -> float:
        return max(self.end_t - self.scene.t2m_clock - buff, 0.0)

    def time_until_bookmark(self, mark: str, buff: float = 0.0, limit: float | None = None) -> float:
        if mark not in self.bookmark_times:
            raise KeyError(f"no bookmark {mark!r} in this voiceover's text")
        left = max(self.bookmark_times[mark] - self.scene.t2m_clock - buff, 0.0)
        return min(left, limit) if limit is not None else left


class SpeechService:
    """Any speech service a scene names (gTTS, Azure, ElevenLabs, OpenAI, ...): accepted, never called."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


def _voiceover_scene():
    from manim import Scene

    class VoiceoverScene(Scene):
        t2m_clock = 0.0  # seconds of video before the next animation (own count: chunks skip frames)

        def set_speech_service(self, service=None, create_subcaption: bool = True, **kwargs) -> None:
            self.t2m_service = service

        def play(self, *args, **kwargs):
            result = super().play(*args, **kwargs)
            self.t2m_clock += float(getattr(self, "duration", 0.0) or 0.0)
            return result

        @contextlib.contextmanager
        def voiceover(self, text: str = "", **kwargs):
            said = spoken_text(str(text))
            entry = NARRATION.get(said) if said else None
            estimated = not isinstance(entry, dict)
            duration = float(entry["duration"]) if isinstance(entry, dict) else estimate_seconds(said)
            start = self.t2m_clock
            if isinstance(entry, dict) and entry.get("audio"):
                self.add_sound(str(Path.cwd() / entry["audio"]), time_offset=0)
            if isinstance(entry, dict) and isinstance(entry.get("wav"), str):
                PLACED.append((start, entry["wav"]))
            tracker = VoiceoverTracker(self, str(text), start, duration)
            try:
                yield tracker
                if self.t2m_clock < tracker.end_t - 1e-3:  # the speech outlasts the block's animations
                    self.wait(tracker.end_t - self.t2m_clock)
            finally:  # also when a chunk's range ends inside the block: the cue is known
                emit("cue", start=round(start, 3), end=round(start + duration, 3), text=said,
                     estimated=estimated)

        def safe_wait(self, duration: float = 1.0) -> None:
            if duration > 1 / 60:
                self.wait(duration)

        def wait_for_voiceover(self) -> None:
            pass

    return VoiceoverScene


NARRATION: dict = {}
PLACED: list = []  # (start, wav file in the run's folder) of each block played, in this run


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves `manim_voiceover` and any submodule of it (`...services.gtts`, `...voiceover_scene`)."""

    def find_spec(self, name, path=None, target=None):
        if name == MODULE or name.startswith(MODULE + "."):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return types.ModuleType(spec.name)

    def exec_module(self, module) -> None:
        module.__path__ = []
        module.VoiceoverScene = _voiceover_scene() if module.__name__ == MODULE else sys.modules[MODULE].VoiceoverScene
        module.VoiceoverTracker = VoiceoverTracker
        module.__getattr__ = _any_service


def _any_service(name: str):
    """`from manim_voiceover.services.gtts import GTTSService`: every service is the stand-in."""
    if name.startswith("__"):
        raise AttributeError(name)
    return SpeechService


def install(folder: Path) -> None:
    """Before the scene loads: the stand-in importable, the run's narration map read."""
    NARRATION.clear()
    NARRATION.update(load_narration(folder))
    PLACED.clear()
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
