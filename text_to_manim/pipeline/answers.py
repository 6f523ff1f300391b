"""Talking to the model: one streamed answer, the anchor formulas asked first, the code out of an answer."""
from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from typing import Optional

from text_to_manim.events import (
    ANCHOR,
    EXTRACT,
    CodeDelta,
    CodeError,
    Event,
    Failed,
    NotesDelta,
    ReasoningDelta,
    StageFinished,
    StageStarted,
)
from text_to_manim.generate import extract as extract_mod
from text_to_manim.generate import prompts, providers
from text_to_manim.pipeline import notes_step
from text_to_manim.pipeline.state import Cancelled, JobState, Round
from text_to_manim.speech import narration as speech
from text_to_manim.tex import latex

FATAL_PROVIDER_ERRORS = (providers.AuthError, providers.ModelNotFound, providers.Unreachable,
                         providers.BadRequest)
NO_CODE = "the answer contains no Python code (expected a ```python block under ## Code)"


def stream_answer(st: JobState, provider, messages: list[dict], stage: str) -> Generator[Event, None, str]:
    """Stream one model answer: reasoning, code and notes deltas; returns the answer text."""
    st.current_stage = stage
    splitter = extract_mod.LiveSplitter()
    parts: list[str] = []
    # the voiceover is spoken while the model still writes: each text once its string has closed
    speaking = st.speech_prefetch = st.speech_prefetch or speech.Prefetch.start(st.s)
    if speaking is not None:
        speaking.new_answer()

    def split(text: str):
        for ev in splitter.feed(text):
            if speaking is not None and isinstance(ev, CodeDelta):
                speaking.feed(ev.text)
            elif speaking is not None and isinstance(ev, NotesDelta) and speaking.code:
                speaking.complete()  # the code is whole: texts passed by name too
            yield st.reasoning(ev) if isinstance(ev, ReasoningDelta) else ev

    try:
        for d in provider.stream(messages, st.cancel):
            if isinstance(d, ReasoningDelta):
                yield st.reasoning(d)
            elif isinstance(d, providers.TextDelta):
                parts.append(d.text)
                yield from split(d.text)
            elif isinstance(d, providers.Retrying):
                yield st.fail(stage, d.message(), kind="Retrying")
    except providers.Cancelled:
        raise Cancelled()
    except providers.StreamCut as cut:
        for ev in splitter.flush():
            yield ev
        yield st.fail(stage, str(cut), kind="StreamCut")
        return "".join(parts)
    for ev in splitter.flush():
        yield st.reasoning(ev) if isinstance(ev, ReasoningDelta) else ev
    return "".join(parts)


def anchor(st: JobState, provider) -> Iterator[Event]:
    found = latex.find_formulas(st.req.prompt)
    ask = not found and isinstance(provider, providers.OpenAIProvider) and st.req.anchor \
        and not st.req.previous_code
    if not found and not ask:
        return
    st.current_stage = ANCHOR
    t = time.monotonic()
    yield StageStarted(ANCHOR, "formulas from the prompt" if found else "asking the model for the key formulas")
    if ask:
        text = ""
        try:
            for d in provider.stream(prompts.anchor(st.req.prompt), st.cancel):
                if isinstance(d, ReasoningDelta):
                    yield st.reasoning(d)
                elif isinstance(d, providers.TextDelta):
                    text += d.text
                elif isinstance(d, providers.Retrying):
                    yield st.fail(ANCHOR, d.message())
        except providers.Cancelled:
            raise Cancelled()
        except providers.StreamCut as cut:
            text = cut.text
        except FATAL_PROVIDER_ERRORS:
            raise
        except providers.ProviderError as exc:  # the generation call will try again
            yield st.fail(ANCHOR, f"could not get formulas from the model: {exc}")
        if text.strip().upper() != "NONE":
            found = latex.find_formulas(text)[:5]
    if found:
        st.formulas = check_formulas(st, found)
        for r in st.formulas:
            if not r.ok:
                yield st.fail(ANCHOR, f"${r.formula}$ does not compile: {r.error}", kind="LaTeX")
    secs = time.monotonic() - t
    st.add_time(ANCHOR, secs)
    detail = latex.anchor_summary(st.formulas) if st.formulas else "no formulas"
    yield StageFinished(ANCHOR, secs, detail)


def check_formulas(st: JobState, formulas: list[str]) -> list[latex.TexResult]:
    """TeX's verdict on each formula: those the shared cache holds compile; the others go through one
    LaTeX run (for TeX's own error lines), and those that compile are handed to the trusted step in
    the background, so the scene that uses them, and the next prompt with them, find them compiled."""
    from text_to_manim.tex import formula_cache

    known = formula_cache.known_to_compile(formulas, st.s)
    fresh = [f for f in formulas if f not in known]
    checked = dict(zip(fresh, latex.compile_batch(fresh, st.job.dir / "tex"))) if fresh else {}
    good = [formula_cache.formula_item(f) for f, r in checked.items() if r.ok]
    if good:
        formula_cache.BACKGROUND.submit(st.s, items=good)
    return [checked.get(f) or latex.TexResult(f, True) for f in formulas]


def extract_code(st: JobState, rnd: Round, answer: str) -> Generator[Event, None, Optional[str]]:
    t = time.monotonic()
    yield StageStarted(EXTRACT)
    ex = extract_mod.extract(answer)
    secs = time.monotonic() - t
    st.add_time(EXTRACT, secs)
    if not ex.ok:
        err = CodeError(EXTRACT, NO_CODE, kind="NoCode")
        rnd.errors, rnd.failed_stage = [err], EXTRACT
        yield Failed(EXTRACT, err.message, None, err)
        yield StageFinished(EXTRACT, secs, "no code")
        return None
    how = {"fenced": "a fenced python block", "joined": f"{ex.blocks} python blocks joined",
           "unfenced": "code without a fence", "unterminated": "an unterminated python block (cut off?)"}
    yield StageFinished(EXTRACT, secs, f"{len(ex.code.splitlines())} lines from {how.get(ex.how, ex.how)}"
                        + (", notes" if ex.notes else ", no notes"))
    if ex.notes and ex.notes.strip() != st.notes_md_text.strip():
        yield from notes_step.write_notes(st, ex.notes)
    return ex.code
