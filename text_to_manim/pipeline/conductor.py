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
"""
from __future__ import annotations

import json
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generator, Iterator, Optional

from text_to_manim import config
from text_to_manim.speech import narration as speech
from text_to_manim.generate import extract as extract_mod, prompts, providers
from text_to_manim.tex import latex
from text_to_manim.pipeline import notes as notes_mod, result_cache
from text_to_manim.sandbox import workers
from text_to_manim.events import ANCHOR, ERROR_REPAIR, EXTRACT, GENERATE, LAYOUT, NOTES, POLICY, RENDER, REPAIR, SANITIZE, VALIDATE, Artifact, CodeDelta, CodeError, Event, Failed, Finished, JobResult, ReasoningDelta, StageFinished, StageStarted, relay
from text_to_manim.jobs import Job, new_job, open_job

LAYOUT_FALLBACK = ("the layout repair did not produce a scene that renders; the video is made from round {n}'s "
                   "code, whose layout warnings stand")
STILL_FORMAT = "png"  # Manim's last-frame output
PARTIAL = ("the scene fails at animation {played_next}: a partial video of the {played} animation(s) before it "
           "({error})")
STILL_IMAGE = ("the scene never animates (no self.play or self.wait): a still image at -q{quality}, as plain "
               "manim makes it")
FATAL_PROVIDER_ERRORS = (providers.AuthError, providers.ModelNotFound, providers.Unreachable,
                         providers.BadRequest)


@dataclass
class Request:
    prompt: str = ""
    settings: config.Settings = field(default_factory=config.load)
    # Follow-ups ("make the dots red") refine this scene instead of starting afresh.
    previous_code: Optional[str] = None
    # "Render this code": skip the model, go straight to sanitize/validate/render.
    code: Optional[str] = None
    scene: Optional[str] = None
    # Gallery: render this curated scene with these parameters.
    gallery_slug: Optional[str] = None
    params: dict = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)
    # Ask the model for the key formulas first when the prompt has none (one short extra call).
    anchor: bool = True
    # Use this folder for the job's files instead of a new one under settings.jobs_dir.
    job_dir: Optional[Path] = None
    # With `code`: apply sanitize's fixes first (the app's "Render this code"); the CLI's `render
    # FILE.py` turns it off to render exactly what is in the file.
    sanitize: bool = True
    # Whose job it is in the history (a hash of the app visitor's session id); None for local CLI jobs.
    owner: Optional[str] = None


def _warm_offline() -> None:
    """Import scikit-learn's TF-IDF while the job sets up (it takes seconds on a busy machine)."""
    try:
        import sklearn.feature_extraction.text  # noqa: F401
    except Exception:
        pass


class _Cancelled(Exception):
    pass


@dataclass
class _Round:
    n: int
    answer: str = ""
    code: str = ""
    fixes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    failed_stage: str = ""
    seconds: float = 0.0
    warnings: list = field(default_factory=list)  # policy and layout warnings of this round's code
    layout: object = None  # its ValidateOutcome, when it validated but waits for a layout repair round
    partial: object = None  # its failed ValidateOutcome, when the scene played animations before failing


class _Job:
    """The state of one run; its methods are the stages (generators that yield events)."""

    def __init__(self, request: Request):
        self.req = request
        self.s = request.settings
        self.cancel = request.cancel
        self.t0 = time.monotonic()
        self.first_reasoning: Optional[float] = None
        self.job: Job = open_job(request.job_dir) if request.job_dir else new_job(self.s.jobs_dir)
        self.result = JobResult(job_dir=self.job.dir, log=self.job.log_file)
        self.timings: dict[str, float] = {}
        self.rounds: list[_Round] = []
        self.formulas: list[latex.TexResult] = []
        self.final: Optional[_Round] = None  # the round whose result stands, when it is not the last one
        self.notes_md_text = ""
        self.pdf_thread: Optional[threading.Thread] = None
        self.pdf_result: dict = {}
        self.status = "running"
        self.message = ""
        self.kind = "code" if request.code is not None else "gallery" if request.gallery_slug else "prompt"
        self.provider_name = {"code": "none", "gallery": "gallery"}.get(self.kind, self.s.provider)
        self.model = (self.s.model if self.provider_name == "openai" else
                      "offline-gallery" if self.provider_name == "offline" else "")
        self.current_stage = GENERATE
        self.store = None
        try:
            from text_to_manim.store import open_store

            self.store = open_store(self.s.db_path)
            self.store.start(self.job.id, prompt=request.prompt or (request.gallery_slug or "") or "(code)",
                             provider=self.provider_name, model=self.model, settings_public=self.s.public(),
                             job_dir=str(self.job.dir), kind=self.kind, gallery_slug=request.gallery_slug,
                             owner=request.owner)
        except Exception as exc:  # history must never stop a render
            self.job.log(f"history unavailable: {exc!r}")
            self.store = None
        if self.provider_name == "offline":
            threading.Thread(target=_warm_offline, daemon=True).start()
        (self.job.dir / "request.json").write_text(json.dumps({
            "prompt": request.prompt, "kind": self.kind, "gallery_slug": request.gallery_slug,
            "params": request.params, "scene": request.scene, "settings": self.s.public(),
            "previous_code": bool(request.previous_code)}, indent=2, default=str), encoding="utf-8")

    # -- helpers -------------------------------------------------------------------------------------
    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise _Cancelled()

    def reasoning(self, ev: ReasoningDelta) -> ReasoningDelta:
        if self.first_reasoning is None and ev.text.strip():
            self.first_reasoning = time.monotonic() - self.t0
        return ev

    def fail(self, stage: str, message: str, line: Optional[int] = None, kind: str = "") -> Failed:
        err = CodeError(stage, message, line, kind)
        return Failed(stage, message, line, err)

    def stream_answer(self, provider, messages: list[dict], stage: str) -> Generator[Event, None, str]:
        """Stream one model answer: reasoning, code and notes deltas; returns the answer text."""
        self.current_stage = stage
        splitter = extract_mod.LiveSplitter()
        parts: list[str] = []

        def split(text: str):
            for ev in splitter.feed(text):
                yield self.reasoning(ev) if isinstance(ev, ReasoningDelta) else ev

        try:
            for d in provider.stream(messages, self.cancel):
                if isinstance(d, ReasoningDelta):
                    yield self.reasoning(d)
                elif isinstance(d, providers.TextDelta):
                    parts.append(d.text)
                    yield from split(d.text)
                elif isinstance(d, providers.Retrying):
                    yield self.fail(stage, d.message(), kind="Retrying")
        except providers.Cancelled:
            raise _Cancelled()
        except providers.StreamCut as cut:
            for ev in splitter.flush():
                yield ev
            yield self.fail(stage, str(cut), kind="StreamCut")
            return "".join(parts)
        for ev in splitter.flush():
            yield self.reasoning(ev) if isinstance(ev, ReasoningDelta) else ev
        return "".join(parts)

    # -- anchor ----------------------------------------------------------------------------------------
    def anchor(self, provider) -> Iterator[Event]:
        found = latex.find_formulas(self.req.prompt)
        ask = not found and isinstance(provider, providers.OpenAIProvider) and self.req.anchor \
            and not self.req.previous_code
        if not found and not ask:
            return
        self.current_stage = ANCHOR
        t = time.monotonic()
        yield StageStarted(ANCHOR, "formulas from the prompt" if found else "asking the model for the key formulas")
        if ask:
            text = ""
            try:
                for d in provider.stream(prompts.anchor(self.req.prompt), self.cancel):
                    if isinstance(d, ReasoningDelta):
                        yield self.reasoning(d)
                    elif isinstance(d, providers.TextDelta):
                        text += d.text
                    elif isinstance(d, providers.Retrying):
                        yield self.fail(ANCHOR, d.message())
            except providers.Cancelled:
                raise _Cancelled()
            except providers.StreamCut as cut:
                text = cut.text
            except FATAL_PROVIDER_ERRORS:
                raise
            except providers.ProviderError as exc:  # the generation call will try again
                yield self.fail(ANCHOR, f"could not get formulas from the model: {exc}")
            if text.strip().upper() != "NONE":
                found = latex.find_formulas(text)[:5]
        if found:
            self.formulas = self.check_formulas(found)
            for r in self.formulas:
                if not r.ok:
                    yield self.fail(ANCHOR, f"${r.formula}$ does not compile: {r.error}", kind="LaTeX")
        secs = time.monotonic() - t
        self.add_time(ANCHOR, secs)
        detail = latex.anchor_summary(self.formulas) if self.formulas else "no formulas"
        yield StageFinished(ANCHOR, secs, detail)

    def check_formulas(self, formulas: list[str]) -> list[latex.TexResult]:
        """TeX's verdict on each formula: those the shared cache holds compile; the others go through one
        LaTeX run (for TeX's own error lines), and those that compile are handed to the trusted step in
        the background, so the scene that uses them, and the next prompt with them, find them compiled."""
        from text_to_manim.tex import formula_cache

        known = formula_cache.known_to_compile(formulas, self.s)
        fresh = [f for f in formulas if f not in known]
        checked = dict(zip(fresh, latex.compile_batch(fresh, self.job.dir / "tex"))) if fresh else {}
        good = [formula_cache.formula_item(f) for f, r in checked.items() if r.ok]
        if good:
            formula_cache.BACKGROUND.submit(self.s, items=good)
        return [checked.get(f) or latex.TexResult(f, True) for f in formulas]

    # -- notes -----------------------------------------------------------------------------------------
    def write_notes(self, md: str, *, md_src: Optional[Path] = None, tex_src: Optional[Path] = None) -> Iterator[Event]:
        if not md.strip() and not md_src:
            return
        t = time.monotonic()
        yield StageStarted(NOTES)
        if md_src or tex_src:
            paths = notes_mod.copy_docs(self.job.dir, md_src, tex_src)
            if "notes_md" not in paths and md.strip():
                paths.update(notes_mod.write(self.job.dir, md))
        else:
            paths = notes_mod.write(self.job.dir, md)
        self.notes_md_text = md
        self.result.notes_md = paths.get("notes_md")
        self.result.notes_tex = paths.get("notes_tex")
        for kind in ("notes_md", "notes_tex"):
            if paths.get(kind):
                yield Artifact(kind, paths[kind])
        if self.result.notes_tex and notes_mod.pdflatex_available():
            self.start_pdf(self.result.notes_tex)
        secs = time.monotonic() - t
        self.add_time(NOTES, secs)
        yield StageFinished(NOTES, secs, "notes.md, notes.tex" + (", notes.pdf building" if self.pdf_thread else ""))

    def start_pdf(self, tex: Path) -> None:
        if self.pdf_thread is not None:
            self.pdf_thread.join()
        self.pdf_result = {}

        def build():
            t = time.monotonic()
            try:
                self.pdf_result["pdf"], self.pdf_result["error"] = notes_mod.build_pdf(tex)
            except Exception as exc:
                self.pdf_result["pdf"], self.pdf_result["error"] = None, repr(exc)
            self.pdf_result["seconds"] = time.monotonic() - t

        self.pdf_thread = threading.Thread(target=build, name="notes-pdf", daemon=True)
        self.pdf_thread.start()

    def finish_pdf(self) -> Iterator[Event]:
        if self.pdf_thread is None:
            return
        self.pdf_thread.join(timeout=120)
        pdf = self.pdf_result.get("pdf")
        if pdf:
            self.result.notes_pdf = pdf
            yield Artifact("notes_pdf", pdf)
        elif self.pdf_result.get("error"):
            yield self.fail(NOTES, f"notes.pdf: {self.pdf_result['error']}", kind="pdflatex")

    # -- sanitize / check / render one piece of code ------------------------------------------------------
    def build(self, rnd: _Round, code: str, *, sanitize: bool = True, defer_layout: bool = False) -> Iterator[Event]:
        """sanitize -> policy -> (result cache) -> validate (-> layout rules) -> render; fills rnd.errors /
        rnd.failed_stage. With `defer_layout`, a scene whose layout still has problems is not rendered:
        rnd.layout keeps its validation for the caller, who asks the model first (and renders it as it is
        if that fails)."""
        from text_to_manim.scene import policy
        from text_to_manim.tex import formula_cache

        if sanitize:
            from text_to_manim.fixes.sanitize import sanitize as do_sanitize

            t = time.monotonic()
            yield StageStarted(SANITIZE)
            code, fixes = do_sanitize(code)
            rnd.fixes = fixes
            secs = time.monotonic() - t
            self.add_time(SANITIZE, secs)
            detail = f"{len(fixes)} fix(es)" + (": " + "; ".join(
                (f"line {f.line}: " if f.line else "") + f.what for f in fixes[:6]) if fixes else "")
            yield StageFinished(SANITIZE, secs, detail)
        rnd.code = code
        self.job.write_code(code)
        self.job.write_code(code, f"round{rnd.n}.py")
        self.result.code = self.job.scene_file
        yield Artifact("code", self.job.scene_file)
        self.check_cancel()

        t = time.monotonic()
        yield StageStarted(POLICY)
        review = policy.review(code, policy.shipped_files(self.job.dir))
        errors = review.errors
        secs = time.monotonic() - t
        self.add_time(POLICY, secs)
        for e in errors:
            yield Failed(e.stage, e.message, e.line, e)
        rnd.warnings = list(review.warnings)
        yield StageFinished(POLICY, secs, f"{len(errors)} problem(s)" if errors else "ok" + _warning_detail(review.warnings))
        if errors:
            rnd.errors, rnd.failed_stage = errors, POLICY
            return
        self.check_cancel()

        cache_key = result_cache.key(code, self.req.scene, self.s.quality, self.s.format, layout_rules=sanitize)
        hit = result_cache.lookup(self.s, cache_key)
        if hit is not None:
            yield from self.reuse(rnd, hit)
            return
        t = time.monotonic()
        yield StageStarted(VALIDATE, "running the scene without frames")
        workers.prestart(self.s)  # a worker imports Manim while the trusted step compiles the formulas
        tex = formula_cache.precompile(code, self.s)
        if tex.error:
            self.job.log(f"shared TeX cache: {tex.error}")
        narration = speech.prepare(code, self.job.dir, self.s)  # voiceover texts spoken once, by a trusted step
        if narration.error:
            self.job.log(f"narration: {narration.error}")
        with workers.lease(self.s) as worker:
            runs = workers.runs_for(self.job.dir, self.s, worker)
            yield from self.validate_and_render(rnd, code, runs, tex, t, sanitize=sanitize,
                                                defer_layout=defer_layout, cache_key=cache_key)

    def reuse(self, rnd: _Round, hit: result_cache.Entry) -> Iterator[Event]:
        """The same code at the same settings was rendered before: its video (or still), at once."""
        t = time.monotonic()
        meta = hit.meta
        yield StageStarted(RENDER, "this code was rendered before at these settings: reusing that result")
        if hit.preview:
            self.result.preview = result_cache.place(hit.preview, self.job.dir / "preview.png")
            yield Artifact("preview", self.result.preview)
        kind = "image" if meta.get("kind") == "image" else "video"
        placed = result_cache.place(hit.video, self.job.dir / hit.video.name)
        setattr(self.result, kind, placed)
        rnd.warnings += [CodeError(**w) for w in meta.get("warnings", []) if isinstance(w, dict)]
        self.result.extra.update(scene=meta.get("scene"), animations=meta.get("animations", 0),
                                 chunks=meta.get("chunks", []), cached_from=meta.get("job_id"))
        if meta.get("note"):  # e.g. which of several scenes was chosen
            self.result.extra["note"] = meta["note"]
        yield Artifact(kind, placed)
        secs = time.monotonic() - t
        self.add_time(RENDER, secs)
        yield StageFinished(RENDER, secs, f"from the result cache (rendered by job {meta.get('job_id')})")

    def validate_and_render(self, rnd: _Round, code: str, runs, tex, t: float, *, sanitize: bool,
                            defer_layout: bool, cache_key: str) -> Iterator[Event]:
        """The scene's runs, in its leased worker (or cold). The render starts with validation (on another
        core) and is kept if the code validates unchanged, killed otherwise. Validation's time counts from
        `t`: the formulas compiled for the shared cache and the wait for a worker are part of it."""
        from text_to_manim.scene import render, validate
        from text_to_manim.tex import formula_cache

        if isinstance(runs, workers.Worker):  # where to look for this job's processes
            self.job.log(f"== warm worker: process {runs.proc.pid}, slot {runs.slot.name} ==")
        head_start = render.start_early(code, self.job, scene=self.req.scene, quality=self.s.quality,
                                        fmt=self.s.format, settings=self.s, runs=runs)
        try:
            outcome = yield from relay(validate.validate(code, self.job, scene=self.req.scene, settings=self.s,
                                                         cancel=self.cancel, runs=runs))
            if outcome.tex_sources:  # formulas made at run time: into the shared cache, off the critical path
                formula_cache.BACKGROUND.submit(self.s, sources=outcome.tex_sources)
            secs = time.monotonic() - t
            self.result.preview = outcome.preview or self.result.preview
            self.add_time(VALIDATE, secs)
            self.check_cancel()
            if not outcome.ok and sanitize:
                yield StageFinished(VALIDATE, secs, "failed")
                outcome = yield from self.repair_errors(rnd, outcome, runs)
            if not outcome.ok:
                rnd.errors, rnd.failed_stage = list(outcome.errors), VALIDATE
                rnd.partial = outcome if outcome.animations else None
                if not sanitize:
                    yield StageFinished(VALIDATE, secs, "failed")
                return
            rnd.fixes = list(rnd.fixes) + outcome.fixes
            self.result.extra.update(scene=outcome.scene, animations=outcome.animations,
                                     warm=isinstance(runs, workers.Worker),
                                     tex={**outcome.tex, "compiled_for_shared_cache": tex.compiled})
            if outcome.note:
                self.result.extra["note"] = outcome.note
            detail = f"{outcome.scene}: {outcome.animations} animation(s)" + _warning_detail(outcome.warnings, "layout ")
            if outcome.fixes:
                detail += f"; {len(outcome.fixes)} run-time fix(es): " + "; ".join(
                    (f"line {f.line}: " if f.line else "") + f.what for f in outcome.fixes[:3])
            if tex.formulas:
                detail += f"; {tex.formulas} formula(s) written literally, {tex.compiled} compiled for the shared cache"
            yield StageFinished(VALIDATE, secs, detail)
            if sanitize:
                outcome = yield from self.fix_layout(rnd, outcome, runs)
            rnd.warnings += outcome.warnings
            if defer_layout and outcome.warnings:
                rnd.layout = outcome
                return
            keep = rnd.code == code and outcome.animations > 0  # the early render is this very video
            early, head_start = (head_start, None) if keep else (None, head_start)
            if head_start is not None:
                head_start.kill()
                head_start = None
            yield from self.render_round(rnd, outcome, runs=runs, head_start=early, cache_key=cache_key)
        finally:
            if head_start is not None:  # validation failed, the code changed, or a still is made instead
                head_start.kill()

    def repair_errors(self, rnd: _Round, failed, runs) -> Generator[Event, None, object]:
        """Repair driven by the error, no model (scene/error_repair.py): each repair is validated and kept
        only if the scene gets further. Returns the outcome to go on with (rnd.code/fixes updated)."""
        from text_to_manim.scene import error_repair, validate

        t = time.monotonic()
        yield StageStarted(ERROR_REPAIR, failed.errors[0].short())
        events: list[Event] = []

        def check(code: str):
            outcome = None
            for ev in validate.validate(code, self.job, scene=self.req.scene, settings=self.s,
                                        cancel=self.cancel, runs=runs):
                if isinstance(ev, Finished):
                    outcome = ev.result
                elif isinstance(ev, Artifact):
                    events.append(ev)
            return outcome

        found = error_repair.repair(rnd.code, failed, check)
        yield from events[-1:]  # the last preview made
        secs = time.monotonic() - t
        self.add_time(ERROR_REPAIR, secs)
        self.check_cancel()
        if not found.fixes:
            self.job.write_code(rnd.code)  # the code as it was: the error stands, with its line
            yield StageFinished(ERROR_REPAIR, secs, f"no repair got the scene further ({found.tried} tried)")
            return failed
        rnd.code, rnd.fixes = found.code, rnd.fixes + found.fixes
        self.job.write_code(found.code)
        self.job.write_code(found.code, f"round{rnd.n}.py")
        yield Artifact("code", self.job.scene_file)
        left = "" if found.validation.ok else f"; still failing: {found.validation.errors[0].short()}"
        yield StageFinished(ERROR_REPAIR, secs, f"{len(found.fixes)} fix(es): " + "; ".join(
            f"line {f.line}: {f.what}" for f in found.fixes[:3]) + left)
        return found.validation

    def render_partial(self, rnd: _Round) -> Iterator[Event]:
        """A scene that still fails after animation k: animations 1..k as a video, saying what is missing."""
        from text_to_manim.scene import render

        outcome, error = rnd.partial, rnd.errors[0]
        played = outcome.animations
        yield StageStarted(RENDER, PARTIAL.format(played=played, played_next=played + 1, error=error.short()))
        self.job.write_code(rnd.code)
        rout = yield from relay(render.render(rnd.code, self.job, scene=outcome.scene, quality=self.s.quality,
                                              fmt=self.s.format, settings=self.s, cancel=self.cancel,
                                              durations=outcome.durations, upto=played - 1))
        self.add_time(RENDER, rout.seconds)
        if not rout.ok:
            yield StageFinished(RENDER, rout.seconds, "the partial video could not be made either")
            return
        self.result.video = rout.video
        self.result.extra["partial"] = {"animations": played, "failed_at": played + 1, "line": error.line,
                                        "error": error.short()}
        yield StageFinished(RENDER, rout.seconds, f"partial: animations 1..{played}")

    def fix_layout(self, rnd: _Round, outcome, runs=None) -> Generator[Event, None, object]:
        """Scale texts too large for the frame where they are made (layout.py), validate again, and keep
        the rewrite only if it validates and those warnings are gone. Returns the outcome to go on with."""
        from text_to_manim.fixes import layout
        from text_to_manim.scene import validate

        new_code, fixes = layout.apply(rnd.code, layout.fits(outcome.layout))
        if not fixes:
            return outcome
        t = time.monotonic()
        yield StageStarted(LAYOUT, "; ".join(f"line {f.line}: {f.what}" for f in fixes[:3]))
        new = yield from relay(validate.validate(new_code, self.job, scene=outcome.scene, settings=self.s,
                                                 cancel=self.cancel, runs=runs))
        secs = time.monotonic() - t
        self.add_time(LAYOUT, secs)
        self.check_cancel()
        if not new.ok or layout.still_off(new.layout, fixes):
            self.job.write_code(rnd.code)  # back to the code as it was; the warnings stand
            yield StageFinished(LAYOUT, secs, "the rule did not make it fit; the code is kept as it was")
            return outcome
        rnd.code, rnd.fixes = new_code, rnd.fixes + fixes
        self.job.write_code(new_code, f"round{rnd.n}.py")
        self.result.preview = new.preview or self.result.preview
        yield Artifact("code", self.job.scene_file)
        yield StageFinished(LAYOUT, secs, f"{len(fixes)} fix(es)" + _warning_detail(new.warnings, "layout "))
        return new

    def render_round(self, rnd: _Round, outcome, note: str = "", *, runs=None, head_start=None,
                     cache_key: Optional[str] = None) -> Iterator[Event]:
        """Render the round's validated code: a video, or a still when it never animates. `head_start`: the
        render begun during validation; `cache_key`: keep the result in the result cache under it."""
        from text_to_manim.scene import render

        what = (f"{outcome.animations} animation(s) at -q{self.s.quality}, {self.s.format}"
                if outcome.animations else STILL_IMAGE.format(quality=self.s.quality))
        yield StageStarted(RENDER, f"{note}: {what}" if note else what)
        rout = yield from relay(render.render(rnd.code, self.job, scene=outcome.scene, quality=self.s.quality,
                                              fmt=self.s.format if outcome.animations else STILL_FORMAT,
                                              settings=self.s, cancel=self.cancel,
                                              durations=outcome.durations, animations=outcome.animations,
                                              runs=runs, head_start=head_start))
        self.add_time(RENDER, rout.seconds)
        self.check_cancel()
        if not rout.ok:
            rnd.errors, rnd.failed_stage = list(rout.errors), RENDER
            yield StageFinished(RENDER, rout.seconds, "failed")
            return
        self.result.video, self.result.image = rout.video, rout.image
        self.result.extra["chunks"] = [list(c) for c in rout.chunks]
        if cache_key:
            result_cache.store(self.s, cache_key, rout.video or rout.image, self.result.preview, {
                "kind": "image" if rout.image else "video", "scene": outcome.scene, "note": outcome.note,
                "animations": outcome.animations, "chunks": self.result.extra["chunks"],
                "warnings": [w.as_dict() for w in rnd.warnings], "job_id": self.job.id})
        yield StageFinished(RENDER, rout.seconds, "a still image (PNG)" if rout.image else f"{len(rout.chunks)} chunk(s)")

    def record_round(self, rnd: _Round) -> None:
        self.rounds.append(rnd)
        if self.store:
            try:
                self.store.add_round(self.job.id, {
                    "round": rnd.n, "code": rnd.code, "answer": rnd.answer[-20000:],
                    "errors": [e.as_dict() for e in rnd.errors], "fixes": [f.as_dict() for f in rnd.fixes],
                    "failed_stage": rnd.failed_stage, "seconds": round(rnd.seconds, 3)})
            except Exception as exc:
                self.job.log(f"history: could not record round {rnd.n}: {exc!r}")

    # -- the flows -----------------------------------------------------------------------------------
    def extract_code(self, rnd: _Round, answer: str) -> Generator[Event, None, Optional[str]]:
        t = time.monotonic()
        yield StageStarted(EXTRACT)
        ex = extract_mod.extract(answer)
        secs = time.monotonic() - t
        self.add_time(EXTRACT, secs)
        if not ex.ok:
            err = CodeError(EXTRACT, "the answer contains no Python code (expected a ```python block under "
                                     "## Code)", kind="NoCode")
            rnd.errors, rnd.failed_stage = [err], EXTRACT
            yield Failed(EXTRACT, err.message, None, err)
            yield StageFinished(EXTRACT, secs, "no code")
            return None
        how = {"fenced": "a fenced python block", "joined": f"{ex.blocks} python blocks joined",
               "unfenced": "code without a fence", "unterminated": "an unterminated python block (cut off?)"}
        yield StageFinished(EXTRACT, secs, f"{len(ex.code.splitlines())} lines from {how.get(ex.how, ex.how)}"
                            + (", notes" if ex.notes else ", no notes"))
        if ex.notes and ex.notes.strip() != self.notes_md_text.strip():
            yield from self.write_notes(ex.notes)
        return ex.code

    def model_flow(self, provider) -> Iterator[Event]:
        yield from self.anchor(provider)
        self.check_cancel()
        good = [r.formula for r in self.formulas if r.ok]
        bad = [(r.formula, r.error) for r in self.formulas if not r.ok]
        messages = prompts.generation(self.req.prompt, formulas=good, bad_formulas=bad,
                                      previous_code=self.req.previous_code)
        label = providers.provider_label(self.s)
        rounds_max = max(0, int(self.s.max_repair_rounds))
        n = 0
        t = time.monotonic()
        yield StageStarted(GENERATE, f"{label}, model {self.s.model}")
        answer = yield from self.stream_answer(provider, messages, GENERATE)
        secs = time.monotonic() - t
        self.add_time(GENERATE, secs)
        yield StageFinished(GENERATE, secs, f"{len(answer)} characters")
        layout_base: Optional[_Round] = None  # renders, but its layout went back to the model (once)
        while True:
            rnd = _Round(n, answer)
            t_round = time.monotonic()
            (self.job.dir / f"answer{n}.md").write_text(answer, encoding="utf-8")
            code = yield from self.extract_code(rnd, answer)
            if code is not None:
                yield from self.build(rnd, code, defer_layout=layout_base is None and n < rounds_max)
            rnd.seconds = time.monotonic() - t_round
            self.record_round(rnd)
            if rnd.layout is not None:
                layout_base = rnd
            elif layout_base is not None:
                if rnd.errors:  # the layout repair made things worse: the first version stands
                    yield from self.render_base(layout_base)
                return
            elif not rnd.errors:
                return
            if n >= rounds_max:
                self.message = (f"still failing after {rounds_max} repair round(s)" if rounds_max else
                                "failed (repair rounds are set to 0)")
                return
            self.check_cancel()
            n += 1
            problems = rnd.layout.warnings if rnd.layout is not None else rnd.errors
            t = time.monotonic()
            yield StageStarted(REPAIR, f"round {n} of {rounds_max}: {problems[0].short()}")
            if rnd.failed_stage == EXTRACT:
                messages = prompts.format_repair(messages, answer, n, rounds_max)
            else:
                messages = prompts.repair(messages, answer, rnd.code, problems, n, rounds_max,
                                          layout=rnd.layout is not None)
            answer = yield from self.stream_answer(provider, messages, REPAIR)
            secs = time.monotonic() - t
            self.add_time(REPAIR, secs)
            yield StageFinished(REPAIR, secs, f"round {n}: {len(answer)} characters")

    def render_base(self, base: _Round) -> Iterator[Event]:
        """Render a round kept back for a layout repair round that failed: its video is the result."""
        self.job.write_code(base.code)
        yield Artifact("code", self.job.scene_file)
        self.final = base
        yield from self.render_round(base, base.layout, LAYOUT_FALLBACK.format(n=base.n))

    def offline_flow(self) -> Iterator[Event]:
        from text_to_manim.generate.offline import OfflineProvider

        provider = OfflineProvider()
        found = latex.find_formulas(self.req.prompt)
        if found:
            yield from self.anchor(provider)
        ok_map = {r.formula: r.ok for r in self.formulas}
        t = time.monotonic()
        yield StageStarted(GENERATE, "offline gallery and formula templates (no model)")
        from text_to_manim import gallery

        yield self.reasoning(ReasoningDelta(
            f"Offline provider, no model: matching the prompt against the {len(gallery.entries())} gallery "
            "scenes (TF-IDF) and the formula templates.\n"))
        plan = provider.plan(self.req.prompt, formulas=found, formula_ok=ok_map,
                             previous_code=self.req.previous_code)
        splitter = extract_mod.LiveSplitter()
        for d in provider.stream_plan(plan):
            if isinstance(d, ReasoningDelta):
                yield self.reasoning(d)
            else:
                for ev in splitter.feed(d.text):
                    yield self.reasoning(ev) if isinstance(ev, ReasoningDelta) else ev
        for ev in splitter.flush():
            yield ev
        secs = time.monotonic() - t
        self.add_time(GENERATE, secs)
        self.result.extra["offline"] = plan.kind
        if plan.entry:
            self.result.extra["gallery"] = plan.entry.slug
            self.result.extra["params"] = [f"{k}={v}" for k, v in plan.params.items()]
        if not plan.ok:
            yield StageFinished(GENERATE, secs, "no match")
            err = CodeError(GENERATE, plan.message, kind="NoMatch")
            self.rounds.append(_Round(0, errors=[err], failed_stage=GENERATE))
            yield Failed(GENERATE, plan.message, None, err)
            self.message = plan.message
            return
        yield StageFinished(GENERATE, secs, f"{plan.kind}: {plan.entry.slug if plan.entry else plan.scene}")
        answer = plan.answer()
        (self.job.dir / "answer0.md").write_text(plan.reasoning + "\n" + answer, encoding="utf-8")
        rnd = _Round(0, answer)
        t_round = time.monotonic()
        if plan.kind == "gallery":
            yield from self.write_notes(plan.notes_md, md_src=plan.notes_md_path, tex_src=plan.notes_tex_path)
            if not plan.notes_md_path:
                yield self.fail(NOTES, f"the gallery scene '{plan.entry.slug}' has no study notes yet",
                                kind="NoNotes")
            # the scene a Gallery click names too: the same result-cache key, so either answers the other
            self.req.scene = self.req.scene or plan.entry.scene
            yield from self.build(rnd, plan.code, sanitize=False)
        else:
            yield from self.write_notes(plan.notes_md)
            yield from self.build(rnd, plan.code)
        rnd.seconds = time.monotonic() - t_round
        self.record_round(rnd)
        if rnd.errors:
            yield StageStarted(REPAIR, "offline")
            msg = ("The offline provider repairs nothing: it has no model to ask. The errors above are final "
                   "for this job; with a model (DEEPSEEK_API_KEY) they would go back for a repair round.")
            yield ReasoningDelta(msg + "\n")
            yield StageFinished(REPAIR, 0.0, "not available offline")
            self.message = "failed; the offline provider cannot repair"

    def gallery_flow(self) -> Iterator[Event]:
        from text_to_manim import gallery

        t = time.monotonic()
        entry = gallery.get(self.req.gallery_slug)
        values, notes_ = {}, []
        for k, v in (self.req.params or {}).items():
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
            yield self.fail(GENERATE, n, kind="UnknownParam")
        yield CodeDelta(code)
        secs = time.monotonic() - t
        self.add_time(GENERATE, secs)
        yield StageFinished(GENERATE, secs, entry.title)
        self.result.extra.update(gallery=entry.slug, params=[f"{k}={v}" for k, v in values.items()])
        self.req.scene = self.req.scene or entry.scene
        if entry.notes_md or entry.notes_tex:
            yield from self.write_notes("", md_src=entry.notes_md, tex_src=entry.notes_tex)
        rnd = _Round(0, "")
        yield from self.build(rnd, code, sanitize=False)
        self.record_round(rnd)

    def code_flow(self) -> Iterator[Event]:
        rnd = _Round(0, "")
        t = time.monotonic()
        yield from self.build(rnd, self.req.code or "", sanitize=self.req.sanitize)
        rnd.seconds = time.monotonic() - t
        self.record_round(rnd)

    # -- the whole job -------------------------------------------------------------------------------
    def stages(self) -> Iterator[Event]:
        yield from self.flow()
        last = self.rounds[-1] if self.rounds else None
        if last is not None and last.partial is not None and last.errors and not (self.result.video or self.result.image):
            yield from self.render_partial(last)

    def flow(self) -> Iterator[Event]:
        if self.kind == "code":
            yield from self.code_flow()
        elif self.kind == "gallery":
            yield from self.gallery_flow()
        elif not (self.req.prompt or "").strip():
            err = CodeError(GENERATE, "empty prompt: describe a concept, or give code or a gallery scene",
                            kind="Usage")
            self.rounds.append(_Round(0, errors=[err], failed_stage=GENERATE))
            yield Failed(GENERATE, err.message, None, err)
        elif self.s.provider == "offline":
            yield from self.offline_flow()
        else:
            provider = providers.get(self.s)
            try:
                yield from self.model_flow(provider)
            except providers.ProviderError as exc:
                stage = self.current_stage
                err = CodeError(stage, str(exc), kind=exc.kind)
                self.rounds.append(_Round(len(self.rounds), errors=[err], failed_stage=stage))
                yield Failed(stage, str(exc), None, err)
                self.message = str(exc)

    def finish(self, status: Optional[str] = None) -> JobResult:
        r = self.result
        last = self.final or (self.rounds[-1] if self.rounds else None)
        r.ok = bool(last and not last.errors and (r.video or r.image)) and status is None
        r.errors = list(last.errors) if last else []
        r.fixes = list(last.fixes) if last else []
        self.timings["total"] = time.monotonic() - self.t0
        r.timings = dict(self.timings)
        r.extra.update(
            job_id=self.job.id, provider=self.provider_name, model=self.model,
            repair_rounds=max(0, len(self.rounds) - 1),
            rounds=[{"round": x.n, "errors": [e.as_dict() for e in x.errors], "fixes": [f.as_dict() for f in x.fixes],
                     "failed_stage": x.failed_stage, "code": f"round{x.n}.py" if x.code else None}
                    for x in self.rounds],
            formulas=[f.as_dict() for f in self.formulas],
            warnings=[w.as_dict() for w in (last.warnings if last else [])],
        )
        if self.first_reasoning is not None:
            r.extra["first_reasoning"] = round(self.first_reasoning, 4)
        self.status = status or ("ok" if r.ok else "partial" if r.extra.get("partial") and r.video else "failed")
        if not self.message and not r.ok:
            self.message = r.errors[0].short() if r.errors else self.status
        r.extra["status"] = self.status
        r.extra["message"] = self.message if not r.ok else ""
        try:
            (self.job.dir / "result.json").write_text(json.dumps(r.as_json(), indent=2), encoding="utf-8")
        except OSError:
            pass
        if self.store:
            try:
                self.store.finish(self.job.id, status=self.status, errors=[e.as_dict() for e in r.errors],
                                  fixes=[f.as_dict() for f in r.fixes], timings=r.timings,
                                  artifacts={k: str(v) for k, v in (("video", r.video), ("image", r.image),
                                                                    ("preview", r.preview),
                                                                    ("code", r.code), ("notes_md", r.notes_md),
                                                                    ("notes_tex", r.notes_tex),
                                                                    ("notes_pdf", r.notes_pdf), ("log", r.log))
                                             if v},
                                  message=self.message, final_code=last.code if last else "")
            except Exception as exc:
                self.job.log(f"history: could not finish the row: {exc!r}")
        return r


def _warning_detail(warnings: list[CodeError], what: str = "") -> str:
    """'; 2 warning(s): line 7: …' for a stage's finishing line ('' when there are none)."""
    if not warnings:
        return ""
    return f"; {len(warnings)} {what}warning(s): " + "; ".join(
        (f"line {w.line}: " if w.line else "") + w.message for w in warnings[:3])


def run(request: Request) -> Iterator[Event]:
    """The whole job as events, ending with Finished(JobResult). Never raises for a failed job."""
    if request.code is None:  # first thing: a worker's Manim import is the longest wait
        workers.prestart(request.settings)  # (code given as is may be a result-cache hit: see build)
    state = _Job(request)
    status = None
    try:
        for ev in state.stages():
            yield ev
        yield from state.finish_pdf()
    except _Cancelled:
        status = "cancelled"
        state.message = "cancelled by the user"
        state.rounds.append(_Round(len(state.rounds), errors=[CodeError("cancel", "cancelled by the user",
                                                                         kind="Cancelled")]))
        yield Failed("cancel", "cancelled by the user")
    except GeneratorExit:  # the consumer went away: record it, then let the generator close
        state.cancel.set()
        state.finish("cancelled")
        raise
    except Exception as exc:  # a bug in a stage: report it as a failure, keep the traceback in the log
        state.job.log("internal error:\n" + traceback.format_exc())
        err = CodeError("pipeline", f"internal error: {exc!r} (see {state.job.log_file})", kind=type(exc).__name__)
        state.rounds.append(_Round(len(state.rounds), errors=[err], failed_stage="pipeline"))
        state.message = err.message
        yield Failed("pipeline", err.message, None, err)
    result = state.finish(status)
    yield Finished(result)
