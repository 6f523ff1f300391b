"""prompt -> anchor -> generate -> extract -> sanitize -> policy -> validate -> render (-> repair) -> notes
-> history.

`run(request)` is a plain generator of `events` objects; it imports neither gradio nor click. Every front
end (app, CLI, tests) consumes the same stream:

- StageStarted(stage, detail) / StageFinished(stage, seconds, detail) around each stage, every round;
- ReasoningDelta (the model's thinking, or the offline provider's honest account), CodeDelta and
  NotesDelta as the answer streams; a new StageStarted("generate" | "repair") starts a fresh answer;
- Progress, Artifact(kind, path) for files as they appear (code, preview, video, notes_md/tex/pdf, log);
- Failed(stage, message, line) for every failure, including the ones a repair round then fixes;
- Finished(JobResult) last, always (also on cancel and on internal errors).

The pieces: `state` (the request, the rounds, the result), `flows` (model / offline / gallery / code given),
`answers` (the model's stream, anchor formulas, code extraction), `build` (sanitize, the gate, validate,
layout, render), `notes_step` (notes and their PDF).
"""
from __future__ import annotations

import traceback
from collections.abc import Iterator
from typing import Optional

from text_to_manim.events import GENERATE, CodeError, Event, Failed, Finished
from text_to_manim.generate import providers
from text_to_manim.pipeline import build, flows, notes_step, transcript
from text_to_manim.pipeline.state import Cancelled, JobState, Request, Round
from text_to_manim.sandbox import workers

__all__ = ["Request", "run"]

CANCELLED = "cancelled by the user"
EMPTY_PROMPT = "empty prompt: describe a concept, or give code or a gallery scene"


def run(request: Request) -> Iterator[Event]:
    """The whole job as events, ending with Finished(JobResult). Never raises for a failed job."""
    if request.code is None:  # first thing: a worker's Manim import is the longest wait
        workers.prestart(request.settings)  # (code given as is may be a result-cache hit: see build)
    st = JobState(request)
    status: Optional[str] = None
    try:
        yield from stages(st)
        yield from transcript.add(st)  # the narration's captions into the notes, when there are any
        yield from notes_step.finish_pdf(st)
    except Cancelled:
        status = "cancelled"
        st.message = CANCELLED
        st.rounds.append(Round(len(st.rounds), errors=[CodeError("cancel", CANCELLED, kind="Cancelled")]))
        yield Failed("cancel", CANCELLED)
    except GeneratorExit:  # the consumer went away: record it, then let the generator close
        st.cancel.set()
        st.finish("cancelled")
        raise
    except Exception as exc:  # a bug in a stage: report it as a failure, keep the traceback in the log
        st.job.log("internal error:\n" + traceback.format_exc())
        err = CodeError("pipeline", f"internal error: {exc!r} (see {st.job.log_file})", kind=type(exc).__name__)
        st.rounds.append(Round(len(st.rounds), errors=[err], failed_stage="pipeline"))
        st.message = err.message
        yield Failed("pipeline", err.message, None, err)
    yield Finished(st.finish(status))


def stages(st: JobState) -> Iterator[Event]:
    """The flow the request asks for; then, for a scene that still fails after some animations, those."""
    yield from flow(st)
    last = st.rounds[-1] if st.rounds else None
    if last is not None and last.partial is not None and last.errors and not (st.result.video or st.result.image):
        yield from build.render_partial(st, last)


def flow(st: JobState) -> Iterator[Event]:
    if st.kind == "code":
        yield from flows.code_flow(st)
    elif st.kind == "gallery":
        yield from flows.gallery_flow(st)
    elif not (st.req.prompt or "").strip():
        err = CodeError(GENERATE, EMPTY_PROMPT, kind="Usage")
        st.rounds.append(Round(0, errors=[err], failed_stage=GENERATE))
        yield Failed(GENERATE, err.message, None, err)
    elif st.s.provider == "offline":
        yield from flows.offline_flow(st)
    else:
        provider = providers.get(st.s)
        try:
            yield from flows.model_flow(st, provider)
        except providers.ProviderError as exc:
            stage = st.current_stage
            err = CodeError(stage, str(exc), kind=exc.kind)
            st.rounds.append(Round(len(st.rounds), errors=[err], failed_stage=stage))
            yield Failed(stage, str(exc), None, err)
            st.message = str(exc)
