"""The flows that turn a request into code: a model answer with its repair rounds, the offline provider, a
gallery scene, or code given as is; each hands the code to the build chain (`build.build`)."""
from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Optional

from text_to_manim.events import (
    EXTRACT,
    GENERATE,
    NOTES,
    REPAIR,
    CodeDelta,
    CodeError,
    Event,
    Failed,
    ReasoningDelta,
    StageFinished,
    StageStarted,
)
from text_to_manim.generate import extract as extract_mod
from text_to_manim.generate import prompts, providers
from text_to_manim.pipeline import answers, build, notes_step
from text_to_manim.pipeline.state import JobState, Round
from text_to_manim.tex import latex

OFFLINE_NO_REPAIR = ("The offline provider repairs nothing: it has no model to ask. The errors above are final "
                     "for this job; with a model (DEEPSEEK_API_KEY) they would go back for a repair round.")


def model_flow(st: JobState, provider) -> Iterator[Event]:
    yield from answers.anchor(st, provider)
    st.check_cancel()
    good = [r.formula for r in st.formulas if r.ok]
    bad = [(r.formula, r.error) for r in st.formulas if not r.ok]
    messages = prompts.generation(st.req.prompt, formulas=good, bad_formulas=bad,
                                  previous_code=st.req.previous_code)
    label = providers.provider_label(st.s)
    rounds_max = max(0, int(st.s.max_repair_rounds))
    n = 0
    t = time.monotonic()
    yield StageStarted(GENERATE, f"{label}, model {st.s.model}")
    answer = yield from answers.stream_answer(st, provider, messages, GENERATE)
    secs = time.monotonic() - t
    st.add_time(GENERATE, secs)
    yield StageFinished(GENERATE, secs, f"{len(answer)} characters")
    layout_base: Optional[Round] = None  # renders, but its layout went back to the model (once)
    while True:
        rnd = Round(n, answer)
        t_round = time.monotonic()
        (st.job.dir / f"answer{n}.md").write_text(answer, encoding="utf-8")
        code = yield from answers.extract_code(st, rnd, answer)
        if code is not None:
            yield from build.build(st, rnd, code, defer_layout=layout_base is None and n < rounds_max)
        rnd.seconds = time.monotonic() - t_round
        st.record_round(rnd)
        if rnd.layout is not None:
            layout_base = rnd
        elif layout_base is not None:
            if rnd.errors:  # the layout repair made things worse: the first version stands
                yield from build.render_base(st, layout_base)
            return
        elif not rnd.errors:
            return
        if n >= rounds_max:
            st.message = (f"still failing after {rounds_max} repair round(s)" if rounds_max else
                            "failed (repair rounds are set to 0)")
            return
        st.check_cancel()
        n += 1
        problems = rnd.layout.warnings if rnd.layout is not None else rnd.errors
        t = time.monotonic()
        yield StageStarted(REPAIR, f"round {n} of {rounds_max}: {problems[0].short()}")
        if rnd.failed_stage == EXTRACT:
            messages = prompts.format_repair(messages, answer, n, rounds_max)
        else:
            messages = prompts.repair(messages, answer, rnd.code, problems, n, rounds_max,
                                      layout=rnd.layout is not None)
        answer = yield from answers.stream_answer(st, provider, messages, REPAIR)
        secs = time.monotonic() - t
        st.add_time(REPAIR, secs)
        yield StageFinished(REPAIR, secs, f"round {n}: {len(answer)} characters")


def offline_flow(st: JobState) -> Iterator[Event]:
    from text_to_manim.generate.offline import OfflineProvider

    provider = OfflineProvider()
    found = latex.find_formulas(st.req.prompt)
    if found:
        yield from answers.anchor(st, provider)
    ok_map = {r.formula: r.ok for r in st.formulas}
    t = time.monotonic()
    yield StageStarted(GENERATE, "offline gallery and formula templates (no model)")
    from text_to_manim import gallery

    yield st.reasoning(ReasoningDelta(
        f"Offline provider, no model: matching the prompt against the {len(gallery.entries())} gallery "
        "scenes (TF-IDF) and the formula templates.\n"))
    plan = provider.plan(st.req.prompt, formulas=found, formula_ok=ok_map,
                         previous_code=st.req.previous_code)
    splitter = extract_mod.LiveSplitter()
    for d in provider.stream_plan(plan):
        if isinstance(d, ReasoningDelta):
            yield st.reasoning(d)
        else:
            for ev in splitter.feed(d.text):
                yield st.reasoning(ev) if isinstance(ev, ReasoningDelta) else ev
    for ev in splitter.flush():
        yield ev
    secs = time.monotonic() - t
    st.add_time(GENERATE, secs)
    st.result.offline = plan.kind
    if plan.entry:
        st.result.gallery = plan.entry.slug
        st.result.params = [f"{k}={v}" for k, v in plan.params.items()]
    if not plan.ok:
        yield StageFinished(GENERATE, secs, "no match")
        err = CodeError(GENERATE, plan.message, kind="NoMatch")
        st.rounds.append(Round(0, errors=[err], failed_stage=GENERATE))
        yield Failed(GENERATE, plan.message, None, err)
        st.message = plan.message
        return
    yield StageFinished(GENERATE, secs, f"{plan.kind}: {plan.entry.slug if plan.entry else plan.scene}")
    answer = plan.answer()
    (st.job.dir / "answer0.md").write_text(plan.reasoning + "\n" + answer, encoding="utf-8")
    rnd = Round(0, answer)
    t_round = time.monotonic()
    if plan.kind == "gallery":
        yield from notes_step.write_notes(st, plan.notes_md, md_src=plan.notes_md_path, tex_src=plan.notes_tex_path)
        if not plan.notes_md_path:
            yield st.fail(NOTES, f"the gallery scene '{plan.entry.slug if plan.entry else plan.scene}' has no "
                                 "study notes yet", kind="NoNotes")
        # the scene a Gallery click names too: the same result-cache key, so either answers the other
        st.req.scene = st.req.scene or (plan.entry.scene if plan.entry else None)
        yield from build.build(st, rnd, plan.code, sanitize=False)
    else:
        yield from notes_step.write_notes(st, plan.notes_md)
        yield from build.build(st, rnd, plan.code)
    rnd.seconds = time.monotonic() - t_round
    st.record_round(rnd)
    if rnd.errors:
        yield StageStarted(REPAIR, "offline")
        yield ReasoningDelta(OFFLINE_NO_REPAIR + "\n")
        yield StageFinished(REPAIR, 0.0, "not available offline")
        st.message = "failed; the offline provider cannot repair"


def gallery_flow(st: JobState) -> Iterator[Event]:
    from text_to_manim import gallery

    t = time.monotonic()
    entry = gallery.get(st.req.gallery_slug or "")
    values, notes_ = {}, []
    for k, v in (st.req.params or {}).items():
        p = entry.param(k)
        if p is None:
            notes_.append(f"{entry.slug} has no parameter {k}; ignored")
            continue
        try:
            values[k] = p.coerce(v)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{k}: {exc}") from exc
    code = gallery.with_params(entry.code, values) if values else entry.code
    yield StageStarted(GENERATE, f"gallery scene '{entry.slug}'" + (
        " with " + ", ".join(f"{k}={v}" for k, v in values.items()) if values else ""))
    for n in notes_:
        yield st.fail(GENERATE, n, kind="UnknownParam")
    yield CodeDelta(code)
    secs = time.monotonic() - t
    st.add_time(GENERATE, secs)
    yield StageFinished(GENERATE, secs, entry.title)
    st.result.gallery, st.result.params = entry.slug, [f"{k}={v}" for k, v in values.items()]
    st.req.scene = st.req.scene or entry.scene
    if entry.notes_md or entry.notes_tex:
        yield from notes_step.write_notes(st, "", md_src=entry.notes_md, tex_src=entry.notes_tex)
    rnd = Round(0, "")
    yield from build.build(st, rnd, code, sanitize=False)
    st.record_round(rnd)


def code_flow(st: JobState) -> Iterator[Event]:
    rnd = Round(0, "")
    t = time.monotonic()
    yield from build.build(st, rnd, st.req.code or "", sanitize=st.req.sanitize)
    rnd.seconds = time.monotonic() - t
    st.record_round(rnd)
