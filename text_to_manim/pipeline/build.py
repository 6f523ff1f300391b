"""The build chain of one piece of code: sanitize -> the gate (policy, scene) -> result cache -> validate
(-> layout rule) -> render.

The gate runs once per version of the code (`scene.gate.check`); validate and render are handed its
`CheckedCode` and do not review it again. A layout rewrite is a new version: it goes through the gate once.
"""
from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from text_to_manim.events import (
    ERROR_REPAIR,
    LAYOUT,
    POLICY,
    RENDER,
    SANITIZE,
    VALIDATE,
    Artifact,
    CodeError,
    Event,
    Failed,
    Finished,
    PartialVideo,
    StageFinished,
    StageStarted,
    TexCounts,
    relay,
)
from text_to_manim.pipeline import narrate_step, result_cache
from text_to_manim.pipeline.state import JobState, Round, warning_detail
from text_to_manim.sandbox import targets, workers
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.sandbox.targets import RunTarget
from text_to_manim.scene import gate
from text_to_manim.scene.gate import CheckedCode
from text_to_manim.scene.validate import ValidateOutcome
from text_to_manim.speech import narration as speech
from text_to_manim.tex import formula_cache

LAYOUT_FALLBACK = ("the layout repair did not produce a scene that renders; the video is made from round {n}'s "
                   "code, whose layout warnings stand")
RENDER_AGAIN_ALONE = ("the scene raised an error in the render although its validation ran through: rendering it "
                      "again in one process, alone (runs of one scene at once share its folder)")
SPEECH = "speech"  # the timing of the trusted narration step (synthesis, or the audio cache)
STILL_FORMAT = "png"  # Manim's last-frame output
STILL_IMAGE = ("the scene never animates (no self.play or self.wait): a still image at -q{quality}, as plain "
               "manim makes it")
LAYOUT_NOT_KEPT = "the rule did not make it fit; the code is kept as it was"
PARTIAL = ("the scene fails at animation {played_next}: a partial video of the {played} animation(s) before it "
           "({error})")


def build(st: JobState, rnd: Round, code: str, *, sanitize: bool = True, defer_layout: bool = False) -> Iterator[Event]:
    """sanitize -> gate -> (result cache) -> validate (-> layout rules) -> render; fills rnd.errors /
    rnd.failed_stage. With `defer_layout`, a scene whose layout still has problems is not rendered:
    rnd.layout keeps its validation for the caller, who asks the model first (and renders it as it is
    if that fails)."""
    if sanitize:
        code = yield from _sanitize(st, rnd, code)
    code = yield from narrate_step.narrate(st, rnd, code)  # a new version: through the gate below
    rnd.code = code
    st.job.write_code(code)
    st.job.write_code(code, f"round{rnd.n}.py")
    st.result.code = st.job.scene_file
    yield Artifact("code", st.job.scene_file)
    st.check_cancel()

    t = time.monotonic()
    yield StageStarted(POLICY)
    verdict = gate.check(code, st.job, st.req.scene)
    errors = verdict.review.errors
    secs = time.monotonic() - t
    st.add_time(POLICY, secs)
    for e in errors:
        yield Failed(e.stage, e.message, e.line, e)
    rnd.warnings = list(verdict.review.warnings)
    yield StageFinished(POLICY, secs, f"{len(errors)} problem(s)" if errors else
                        "ok" + warning_detail(verdict.review.warnings))
    if errors:
        rnd.errors, rnd.failed_stage = errors, POLICY
        return
    st.check_cancel()

    cache_key = result_cache.key(code, st.req.scene, st.s.quality, st.s.format, layout_rules=sanitize,
                                 narration=speech.signature(code, st.s))
    hit = result_cache.lookup(st.s, cache_key)
    if hit is not None:
        yield from reuse(st, rnd, hit)
        return
    t = time.monotonic()
    yield StageStarted(VALIDATE, "running the scene without frames")
    if verdict.checked is None:  # the policy let it pass, but there is no scene class to run
        for e in verdict.errors:
            yield Failed(e.stage, e.message, e.line, e)
        rnd.errors, rnd.failed_stage = list(verdict.errors), VALIDATE
        secs = time.monotonic() - t
        st.add_time(VALIDATE, secs)
        yield StageFinished(VALIDATE, secs, "failed")
        return
    rnd.checked = verdict.checked
    workers.prestart(st.s)  # a worker imports Manim while the trusted steps compile formulas and speak
    if st.speech_prefetch is not None:  # speech begun while the model wrote: finished first
        st.speech_prefetch.wait(cancel=st.cancel)
    with ThreadPoolExecutor(1, thread_name_prefix="narration") as pool:  # speech while TeX compiles
        speaking = pool.submit(speech.prepare, code, st.job.dir, st.s)  # voiceover texts, spoken once each
        tex = formula_cache.precompile(code, st.s)
        narration = speaking.result()
    if tex.error:
        st.job.log(f"shared TeX cache: {tex.error}")
    if narration.texts:
        st.add_time(SPEECH, narration.seconds)
        st.job.log(f"narration: {narration.texts} text(s), {narration.synthesized} synthesised, {narration.cached} "
                   f"from the cache, {narration.seconds:.2f} s ({narration.voice})")
    if narration.error:
        st.job.log(f"narration: {narration.error}")
    with workers.lease(st.s) as worker:
        runs = targets.choose(st.job.dir, st.s, worker)
        yield from validate_and_render(st, rnd, runs, tex, t, sanitize=sanitize, defer_layout=defer_layout,
                                       cache_key=cache_key)


def _sanitize(st: JobState, rnd: Round, code: str) -> Generator[Event, None, str]:
    from text_to_manim.fixes.sanitize import sanitize as do_sanitize

    t = time.monotonic()
    yield StageStarted(SANITIZE)
    code, fixes = do_sanitize(code)
    rnd.fixes = fixes
    secs = time.monotonic() - t
    st.add_time(SANITIZE, secs)
    detail = f"{len(fixes)} fix(es)" + (": " + "; ".join(
        (f"line {f.line}: " if f.line else "") + f.what for f in fixes[:6]) if fixes else "")
    yield StageFinished(SANITIZE, secs, detail)
    return code


def reuse(st: JobState, rnd: Round, hit: result_cache.Entry) -> Iterator[Event]:
    """The same code at the same settings was rendered before: its video (or still), at once."""
    t = time.monotonic()
    meta = hit.meta
    yield StageStarted(RENDER, "this code was rendered before at these settings: reusing that result")
    if hit.preview:
        st.result.preview = result_cache.place(hit.preview, st.job.dir / "preview.png")
        yield Artifact("preview", st.result.preview)
    kind = "image" if meta.get("kind") == "image" else "video"
    placed = result_cache.place(hit.video, st.job.dir / hit.video.name)
    setattr(st.result, kind, placed)
    rnd.warnings += [CodeError(**w) for w in meta.get("warnings", []) if isinstance(w, dict)]
    st.result.scene = meta.get("scene")
    st.result.animations = meta.get("animations", 0)
    st.result.chunks = meta.get("chunks", [])
    st.result.cached_from = meta.get("job_id")
    if meta.get("note"):  # e.g. which of several scenes was chosen
        st.result.note = meta["note"]
    yield Artifact(kind, placed)
    yield from _reuse_captions(st, hit)
    secs = time.monotonic() - t
    st.add_time(RENDER, secs)
    yield StageFinished(RENDER, secs, f"from the result cache (rendered by job {meta.get('job_id')})")


def _reuse_captions(st: JobState, hit: result_cache.Entry) -> Iterator[Event]:
    """A narrated video's captions come from the cache with it (its narration is in the video already)."""
    for kind, name in (("captions", "captions.vtt"), ("captions_srt", "captions.srt")):
        if (hit.video.parent / name).is_file():
            setattr(st.result, kind, result_cache.place(hit.video.parent / name, st.job.dir / name))
            yield Artifact(kind, getattr(st.result, kind))


def validate_and_render(st: JobState, rnd: Round, runs: RunTarget, tex: formula_cache.TexStats, t: float, *,
                        sanitize: bool, defer_layout: bool, cache_key: str) -> Iterator[Event]:
    """The scene's runs, in its leased worker (or cold). The render starts with validation (on another
    core) and is kept if the code validates unchanged, killed otherwise. Validation's time counts from
    `t`: the formulas compiled for the shared cache and the wait for a worker are part of it."""
    from text_to_manim.scene import render, validate

    checked = rnd.checked
    assert checked is not None  # build passed the gate before it came here
    if isinstance(runs, workers.Worker):  # where to look for this job's processes
        st.job.log(f"== warm worker: process {runs.proc.pid}, slot {runs.slot.name} ==")
    head_start = render.start_early(checked, st.job, quality=st.s.quality, fmt=st.s.format, settings=st.s,
                                    runs=runs)
    try:
        outcome = yield from relay(validate.validate(checked, st.job, settings=st.s, cancel=st.cancel, runs=runs))
        if outcome.tex_sources:  # formulas made at run time: into the shared cache, off the critical path
            formula_cache.BACKGROUND.submit(st.s, sources=outcome.tex_sources)
        secs = time.monotonic() - t
        st.result.preview = outcome.preview or st.result.preview
        st.add_time(VALIDATE, secs)
        st.check_cancel()
        if not outcome.ok and sanitize:
            yield StageFinished(VALIDATE, secs, "failed")
            outcome = yield from repair_errors(st, rnd, outcome, runs)
        if not outcome.ok:
            rnd.errors, rnd.failed_stage = list(outcome.errors), VALIDATE
            rnd.partial = outcome if outcome.animations else None
            if not sanitize:
                yield StageFinished(VALIDATE, secs, "failed")
            return
        rnd.fixes = list(rnd.fixes) + outcome.fixes
        st.result.scene, st.result.animations, st.result.warm = outcome.scene, outcome.animations, runs.warm
        st.result.tex = TexCounts(**{k: outcome.tex.get(k, 0) for k in ("shared", "private", "compiled")},
                                  compiled_for_shared_cache=tex.compiled)
        if outcome.note:
            st.result.note = outcome.note
        yield StageFinished(VALIDATE, secs, _validate_detail(outcome, tex))
        if sanitize:
            outcome = yield from fix_layout(st, rnd, outcome, runs)
        rnd.warnings += outcome.warnings
        if defer_layout and outcome.warnings:
            rnd.layout = outcome
            return
        late = speak_run_time_texts(st, rnd, outcome)
        # the early render is this very video (unless speech made now changes its timing)
        keep = rnd.checked is checked and outcome.animations > 0 and not late
        early, head_start = (head_start, None) if keep else (None, head_start)
        if head_start is not None:
            head_start.kill()
            head_start = None
        yield from render_round(st, rnd, outcome, runs=runs, head_start=early, cache_key=cache_key)
    finally:
        if head_start is not None:  # validation failed, the code changed, or a still is made instead
            head_start.kill()


def speak_run_time_texts(st: JobState, rnd: Round, outcome: ValidateOutcome) -> int:
    """Voiceover texts the scene computed at run time (validation estimated their length), spoken now by the
    trusted step, so the render plays and times them like literal ones: how many there were."""
    late = speech.computed_at_run_time(outcome.cues, st.s)
    if not late or rnd.checked is None:
        return 0
    done = speech.prepare(rnd.checked.code, st.job.dir, st.s, also=late)
    st.add_time(SPEECH, done.seconds)
    st.job.log(f"narration: {len(late)} text(s) computed at run time spoken too ({done.synthesized} synthesised, "
               f"{done.seconds:.2f} s)" + (f"; {done.error}" if done.error else ""))
    return len(late)


def _validate_detail(outcome: ValidateOutcome, tex: formula_cache.TexStats) -> str:
    detail = f"{outcome.scene}: {outcome.animations} animation(s)" + warning_detail(outcome.warnings, "layout ")
    if outcome.fixes:
        detail += f"; {len(outcome.fixes)} run-time fix(es): " + "; ".join(
            (f"line {f.line}: " if f.line else "") + f.what for f in outcome.fixes[:3])
    if tex.formulas:
        detail += f"; {tex.formulas} formula(s) written literally, {tex.compiled} compiled for the shared cache"
    return detail


def repair_errors(st: JobState, rnd: Round, failed: ValidateOutcome,
                  runs: RunTarget) -> Generator[Event, None, ValidateOutcome]:
    """Repair driven by the error, no model (scene/error_repair.py): each repair is a new version of the code,
    through the gate once and validated, kept only if the scene gets further. Returns the outcome to go on
    with (rnd.code, rnd.checked and rnd.fixes updated)."""
    from text_to_manim.scene import error_repair, validate

    t = time.monotonic()
    yield StageStarted(ERROR_REPAIR, failed.errors[0].short())
    events: list[Event] = []
    passed: dict[str, CheckedCode] = {}

    def check(code: str) -> ValidateOutcome:
        verdict = gate.check(code, st.job, rnd.checked.scene if rnd.checked else st.req.scene)
        if verdict.checked is None:
            return ValidateOutcome(ok=False, errors=list(verdict.errors), note=verdict.note)
        passed[code] = verdict.checked
        outcome = None
        for ev in validate.validate(verdict.checked, st.job, settings=st.s, cancel=st.cancel, runs=runs):
            if isinstance(ev, Finished):
                outcome = ev.result
            elif isinstance(ev, Artifact):
                events.append(ev)
        assert isinstance(outcome, ValidateOutcome)  # validate always ends with one
        return outcome

    found = error_repair.repair(rnd.code, failed, check)
    yield from events[-1:]  # the last preview made
    secs = time.monotonic() - t
    st.add_time(ERROR_REPAIR, secs)
    st.check_cancel()
    if not found.fixes:
        st.job.write_code(rnd.code)  # the code as it was: the error stands, with its line
        yield StageFinished(ERROR_REPAIR, secs, f"no repair got the scene further ({found.tried} tried)")
        return failed
    rnd.code, rnd.fixes, rnd.checked = found.code, rnd.fixes + found.fixes, passed[found.code]
    st.job.write_code(found.code)
    st.job.write_code(found.code, f"round{rnd.n}.py")
    yield Artifact("code", st.job.scene_file)
    validation = found.validation
    left = "" if validation.ok else f"; still failing: {validation.errors[0].short()}"
    yield StageFinished(ERROR_REPAIR, secs, f"{len(found.fixes)} fix(es): " + "; ".join(
        f"line {f.line}: {f.what}" for f in found.fixes[:3]) + left)
    return validation


def render_partial(st: JobState, rnd: Round) -> Iterator[Event]:
    """A scene that still fails after animation k: animations 1..k as a video, saying what is missing."""
    from text_to_manim.scene import render

    outcome, error = rnd.partial, rnd.errors[0]
    assert outcome is not None  # the caller checked
    played = outcome.animations
    yield StageStarted(RENDER, PARTIAL.format(played=played, played_next=played + 1, error=error.short()))
    st.job.write_code(rnd.code)
    rout = yield from relay(render.render(rnd.checked or rnd.code, st.job, scene=outcome.scene,
                                          quality=st.s.quality, fmt=st.s.format, settings=st.s, cancel=st.cancel,
                                          durations=outcome.durations, upto=played - 1))
    st.add_time(RENDER, rout.seconds)
    if not rout.ok:
        yield StageFinished(RENDER, rout.seconds, "the partial video could not be made either")
        return
    st.result.video = rout.video
    st.result.partial = PartialVideo(played, played + 1, error.line, error.short())
    yield StageFinished(RENDER, rout.seconds, f"partial: animations 1..{played}")


def fix_layout(st: JobState, rnd: Round, outcome: ValidateOutcome,
               runs: Optional[RunTarget] = None) -> Generator[Event, None, ValidateOutcome]:
    """Scale texts too large for the frame where they are made (layout.py), validate again, and keep
    the rewrite only if it validates and those warnings are gone. Returns the outcome to go on with."""
    from text_to_manim.fixes import layout
    from text_to_manim.scene import validate

    new_code, fixes = layout.apply(rnd.code, layout.fits(outcome.layout))
    if not fixes:
        return outcome
    t = time.monotonic()
    yield StageStarted(LAYOUT, "; ".join(f"line {f.line}: {f.what}" for f in fixes[:3]))
    # a new version of the code: through the gate once (scene as chosen for the version before)
    verdict = gate.check(new_code, st.job, rnd.checked.scene if rnd.checked else outcome.scene)
    new = (yield from relay(validate.validate(verdict.checked, st.job, settings=st.s, cancel=st.cancel, runs=runs))
           ) if verdict.checked is not None else None
    secs = time.monotonic() - t
    st.add_time(LAYOUT, secs)
    st.check_cancel()
    if new is None or not new.ok or layout.still_off(new.layout, fixes):
        st.job.write_code(rnd.code)  # back to the code as it was; the warnings stand
        yield StageFinished(LAYOUT, secs, LAYOUT_NOT_KEPT)
        return outcome
    rnd.code, rnd.fixes, rnd.checked = new_code, rnd.fixes + fixes, verdict.checked
    st.job.write_code(new_code, f"round{rnd.n}.py")
    st.result.preview = new.preview or st.result.preview
    yield Artifact("code", st.job.scene_file)
    yield StageFinished(LAYOUT, secs, f"{len(fixes)} fix(es)" + warning_detail(new.warnings, "layout "))
    return new


def render_round(st: JobState, rnd: Round, outcome: ValidateOutcome, note: str = "", *,
                 runs: Optional[RunTarget] = None, head_start: Optional[workers.WarmRun] = None,
                 cache_key: Optional[str] = None) -> Iterator[Event]:
    """Render the round's validated code: a video, or a still when it never animates. `head_start`: the
    render begun during validation; `cache_key`: keep the result in the result cache under it."""
    from text_to_manim.scene import render

    what = (f"{outcome.animations} animation(s) at -q{st.s.quality}, {st.s.format}"
            if outcome.animations else STILL_IMAGE.format(quality=st.s.quality))
    yield StageStarted(RENDER, f"{note}: {what}" if note else what)

    def attempt(durations: Optional[list[float]], head: Optional[workers.WarmRun]):
        rout = yield from relay(render.render(rnd.checked or rnd.code, st.job, scene=outcome.scene, quality=st.s.quality,
                                              fmt=st.s.format if outcome.animations else STILL_FORMAT,
                                              settings=st.s, cancel=st.cancel, durations=durations,
                                              animations=outcome.animations, runs=runs, head_start=head))
        st.add_time(RENDER, rout.seconds)
        st.check_cancel()
        return rout

    rout = yield from attempt(outcome.durations, head_start)
    if not rout.ok and _raced(rout, head_start):
        st.job.log(RENDER_AGAIN_ALONE)
        yield StageStarted(RENDER, RENDER_AGAIN_ALONE)
        rout = yield from attempt(None, None)  # no durations: one process, no chunks
    if not rout.ok:
        rnd.errors, rnd.failed_stage = list(rout.errors), RENDER
        yield StageFinished(RENDER, rout.seconds, "failed")
        return
    st.result.video, st.result.image = rout.video, rout.image
    st.result.chunks = [list(c) for c in rout.chunks]
    captions = (rout.captions.vtt, rout.captions.srt) if rout.captions else ()
    if captions:
        st.result.captions, st.result.captions_srt = captions
    if cache_key:
        result_cache.store(st.s, cache_key, rout.video or rout.image, st.result.preview, extras=captions, meta={
            "kind": "image" if rout.image else "video", "scene": outcome.scene, "note": outcome.note,
            "animations": outcome.animations, "chunks": st.result.chunks,
            "warnings": [w.as_dict() for w in rnd.warnings], "job_id": st.job.id})
    yield StageFinished(RENDER, rout.seconds, "a still image (PNG)" if rout.image else f"{len(rout.chunks)} chunk(s)")


def _raced(rout, head_start: Optional[workers.WarmRun]) -> bool:
    """A render that ran beside another run of the same scene (the early render beside validation, parallel
    chunks) and failed with the scene's own Python exception (not a killed or crashed process): those runs
    share the job folder, so a scene that writes and reads a file there can trip over itself. One more render,
    alone, says whether the scene really fails."""
    concurrent = head_start is not None or len(rout.chunks) > 1
    first = rout.errors[0] if rout.errors else None
    return bool(concurrent and first is not None and first.line and first.kind not in (*sandbox.LIMIT_KINDS, "Crashed"))


def render_base(st: JobState, base: Round) -> Iterator[Event]:
    """Render a round kept back for a layout repair round that failed: its video is the result."""
    assert base.layout is not None  # kept back because its layout went to the model
    st.job.write_code(base.code)
    yield Artifact("code", st.job.scene_file)
    st.final = base
    yield from render_round(st, base, base.layout, LAYOUT_FALLBACK.format(n=base.n))
