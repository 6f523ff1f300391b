"""Narration in the app: the Settings tab's switch, voice and pace; captions on the player and in the
downloads; the "Narrate" button's meaning. Gradio components are made here; web/app.py only wires them."""
from __future__ import annotations

from typing import Optional

import gradio as gr

from text_to_manim.config import Settings
from text_to_manim.speech import engines

OFF, VOICEOVER, EVERY = "Off", "Voice-over in the code", "Narrate every scene"
MODES = (OFF, VOICEOVER, EVERY)
AUTO_VOICE = "best available"
MODE_HELP = ("Off: silent videos, no captions. Voice-over in the code: scenes written with "
             "`self.voiceover(...)` speak. Narrate every scene: a scene without voice-over gets one too "
             "(gallery scenes included), written by the model or from the scene's texts.")


def mode_of(s: Settings) -> str:
    return OFF if not s.narration else EVERY if s.narrate else VOICEOVER


def voice_choices() -> list[str]:
    return [AUTO_VOICE] + [v.name for v in engines.voices() if v.available]


def controls(s: Settings) -> tuple[gr.Radio, gr.Dropdown, gr.Slider, gr.Checkbox]:
    """The Settings tab's narration row: mode, voice, pace, burned-in captions."""
    gr.Markdown(f"**Narration.** {MODE_HELP}")
    with gr.Row():
        mode = gr.Radio(list(MODES), value=mode_of(s), label="Narration", elem_id="t2m-narration")
        choices = voice_choices()
        voice = gr.Dropdown(choices, value=s.voice if s.voice in choices else AUTO_VOICE, label="Voice",
                            elem_id="t2m-voice")
        speed = gr.Slider(engines.MIN_SPEED, engines.MAX_SPEED, value=s.voice_speed, step=0.05, label="Voice speed",
                          elem_id="t2m-voice-speed")
        burn = gr.Checkbox(value=s.burn_captions, label="Burn captions into the video", elem_id="t2m-burn")
    return mode, voice, speed, burn


def apply(s: Settings, mode: Optional[str] = None, voice: Optional[str] = None, speed: Optional[float] = None,
          burn: Optional[bool] = None, *, narrate: bool = False) -> Settings:
    """The job's settings with this tab's narration choices (None: the server's own stands). `narrate`: the
    Narrate button, a voice-over for this code even when the setting says otherwise."""
    changes: dict = {}
    if mode in MODES:
        changes.update(narration=mode != OFF, narrate=mode == EVERY)
    if voice is not None:
        changes["voice"] = "" if voice == AUTO_VOICE else str(voice) if voice in engines.VOICES else None
    if speed is not None:
        try:
            changes["voice_speed"] = min(engines.MAX_SPEED, max(engines.MIN_SPEED, float(speed)))
        except (TypeError, ValueError):
            pass
    if burn is not None:
        changes["burn_captions"] = bool(burn)
    if narrate:
        changes.update(narration=True, narrate=True)
    return s.with_(**changes)


def video_update(video: Optional[str], captions: Optional[str], visible: bool):
    """The player's value with its caption track (a WebVTT served copy), when the video has one."""
    return gr.update(value=video, visible=visible, subtitles=captions if video and captions else None)
