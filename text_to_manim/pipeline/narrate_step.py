"""The narrate step: a scene without voice-over gets one (T2M_NARRATE, `render --narrate`, the app's
"Narrate" button; gallery scenes when narration is set to every scene). The model writes the texts when
one is configured, else they are written from the scene (fixes/narrate.py); the rewritten code is a new
version like any other and goes through the gate next."""
from __future__ import annotations

import json
import re
import time
from collections.abc import Generator
from pathlib import Path
from typing import Optional

from text_to_manim.events import NARRATE, Event, StageFinished, StageStarted, TextDelta
from text_to_manim.fixes import narrate as narrate_fix
from text_to_manim.pipeline.state import JobState, Round

BY_MODEL = "written by the model"
BY_PLAN = "from the storyboard's narration"
BY_SCENE = "written from the scene's texts and animations (no model)"
MODEL_FAILED = "the model's narration could not be used ({why}); written from the scene instead"
NOTHING = "nothing to narrate: no statement of construct plays an animation it can describe"
JSON_OBJECT = re.compile(r"\{.*\}", re.S)


def wanted(st: JobState, code: str) -> bool:
    return st.s.narrate and st.s.narration and not narrate_fix.has_voiceover(code)


def narrate(st: JobState, rnd: Round, code: str) -> Generator[Event, None, str]:
    """The code with voiceover blocks, or as it was when nothing is said (or narration is not asked for)."""
    if not wanted(st, code):
        return code
    t = time.monotonic()
    yield StageStarted(NARRATE, "one voiceover block per animation statement")
    texts, how = None, BY_SCENE
    planned = narrate_fix.spread(code, st.req.narration) if st.req.narration.strip() else {}
    if planned:  # the lesson's plan says what is said: the speech follows it, no model call
        texts, how = planned, BY_PLAN
    elif _has_model(st):
        try:
            texts, how = _ask_model(st, code), BY_MODEL
        except Exception as exc:  # a model that fails or answers nonsense must not stop the video
            st.job.log(f"narration by the model: {exc!r}")
            how = MODEL_FAILED.format(why=str(exc)[:120] or type(exc).__name__)
    done = narrate_fix.narrate(code, texts)
    if texts and not done.segments:  # the model named no statement there is
        done, how = narrate_fix.narrate(code), MODEL_FAILED.format(why="no statement it named is narratable")
    secs = time.monotonic() - t
    st.add_time(NARRATE, secs)
    if not done.segments:
        yield StageFinished(NARRATE, secs, NOTHING)
        return code
    rnd.fixes = list(rnd.fixes) + done.fixes
    yield StageFinished(NARRATE, secs, f"{len(done.segments)} block(s), {how}: " +
                        " / ".join(s.text for s in done.segments[:3]))
    return done.code


def _has_model(st: JobState) -> bool:
    from text_to_manim.generate.providers import needs_key

    return st.s.provider == "openai" and bool(st.s.api_key or not needs_key(st.s))


def _notes(st: JobState) -> str:
    if st.notes_md_text.strip():
        return st.notes_md_text
    path: Optional[Path] = st.result.notes_md
    try:
        return path.read_text(encoding="utf-8") if path else ""
    except OSError:
        return ""


def _ask_model(st: JobState, code: str) -> dict[int, str]:
    from text_to_manim.generate import prompts, providers

    statements = narrate_fix.statements(code)
    if not statements:
        return {}
    answer = "".join(d.text for d in providers.get(st.s).stream(prompts.narration(statements, _notes(st)), st.cancel)
                     if isinstance(d, TextDelta))
    found = JSON_OBJECT.search(answer)
    if not found:
        raise ValueError("no JSON object in the answer")
    data = json.loads(found.group(0))
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    return {int(k): str(v) for k, v in data.items() if str(k).strip().isdigit() and isinstance(v, str)}
