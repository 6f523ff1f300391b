"""python -m text_to_manim …: a thin adapter over the same events the app consumes.

Contract (docs/ARCHITECTURE.md, "The CLI contract"): `--json` prints one JSON object on the last line of stdout; exit 0 on
success, 1 when the work failed, 2 on a usage error. Reasoning and progress go to stderr.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

from text_to_manim import config
from text_to_manim.events import (
    Artifact,
    CodeDelta,
    Failed,
    Finished,
    Fix,
    JobResult,
    LessonPlanned,
    NotesDelta,
    Progress,
    ReasoningDelta,
    SceneClip,
    SceneEvent,
    SceneState,
    StageFinished,
    StageStarted,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or input files: exit 2 with the message."""


def _read_code(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{path}: no such file; give the path of a .py file with a Scene class")
    return p.read_bytes()


class Console:
    """Progress on stderr: a rich progress bar on a terminal, plain lines otherwise."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.tty = sys.stderr.isatty() and not quiet
        self.bar = None
        self.task = None

    def __enter__(self):
        if self.tty:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                           transient=True)
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)

    def say(self, text: str, end: str = "\n") -> None:
        if self.quiet:
            return
        if self.bar:
            self.bar.console.print(text, end=end, markup=False, highlight=False)
        else:
            print(text, end=end, file=sys.stderr, flush=True)

    def progress(self, ev: Progress) -> None:
        if self.bar:
            if self.task is None or self.bar.tasks[self.task].description != ev.stage:
                self.task = self.bar.add_task(ev.stage, total=ev.total or None)
            self.bar.update(self.task, completed=ev.done, total=ev.total or None)
        elif ev.total and not self.quiet:
            print(f"{ev.stage}: animation {ev.done}/{ev.total}", file=sys.stderr, flush=True)

    def event(self, ev) -> None:
        if isinstance(ev, ReasoningDelta):
            self.say(ev.text, end="")
        elif isinstance(ev, StageStarted):
            self.say(f"▶ {ev.stage}" + (f": {ev.detail}" if ev.detail else ""))
        elif isinstance(ev, StageFinished):
            self.say(f"✓ {ev.stage} ({ev.seconds:.1f} s)" + (f": {ev.detail}" if ev.detail else ""))
        elif isinstance(ev, Progress):
            self.progress(ev)
        elif isinstance(ev, Failed):
            self.say(f"✗ {ev.stage}" + (f" line {ev.line}" if ev.line else "") + f": {ev.message}")
        elif isinstance(ev, Artifact):
            self.say(f"  {ev.kind}: {ev.path}")
        elif isinstance(ev, LessonPlanned):
            b = ev.storyboard
            self.say(f"storyboard: {b.title}" + (f" (for {b.audience})" if b.audience else "")
                     + (f", {ev.path}" if ev.path else ""))
            for i, sc in enumerate(b.scenes, start=1):
                self.say(f"  {i}. {sc.title} (~{sc.seconds:.0f} s)" + (f": {sc.goal}" if sc.goal else ""))
        elif isinstance(ev, SceneState):
            self.say(f"  scene {ev.index}: {ev.state}" + (f": {ev.detail}" if ev.detail else ""))
        elif isinstance(ev, SceneClip):
            self.say(f"  scene {ev.index} clip ({ev.status}): {ev.path}")
        elif isinstance(ev, SceneEvent):
            if isinstance(ev.event, Failed):  # a scene's own stages are in its folder's log; its failures here
                self.say(f"  scene {ev.index} ✗ {ev.event.stage}" + (f" line {ev.event.line}" if ev.event.line else "")
                         + f": {ev.event.message}")
        elif isinstance(ev, (CodeDelta, NotesDelta)):
            pass  # the code and notes are files in the job folder; the terminal gets the reasoning


def drive(events: Iterable, as_json: bool) -> int:
    """Consume a job's events; print the result; return the exit code."""
    result = JobResult()
    with Console() as console:
        for ev in events:
            if isinstance(ev, Finished):
                result = ev.result
            else:
                console.event(ev)
    if as_json:
        print(json.dumps(result.as_json()))
    else:
        _print_result(result)
    return EXIT_OK if result.ok else EXIT_FAILED


def _print_result(result: JobResult) -> None:
    for e in result.errors:
        print(e.short(), file=sys.stderr)
    for label, path in (("video", result.video), ("image", result.image), ("preview", result.preview), ("code", result.code),
                        ("notes", result.notes_md), ("pdf", result.notes_pdf), ("log", result.log)):
        if path:
            print(f"{label:8} {path}")
    if result.lesson:
        for c in result.lesson.chapters:
            where = f"{c.start:7.1f} s" if c.status != "missing" else "      -  "
            print(f"chapter  {where}  {c.index}. {c.title} [{c.status}]" + (f": {c.message}" if c.message else ""))
    if result.partial:
        print(f"partial  the video holds the {result.partial.animations} animation(s) before animation "
              f"{result.partial.failed_at}, which fails")
    print("ok" if result.ok else result.status or "failed")


def _render_request(args, settings: config.Settings, path: Path):
    """The events of rendering one file: as written, or after sanitize's fixes with --fix."""
    from text_to_manim import jobs, pipeline
    from text_to_manim.scene import policy

    data = _read_code(str(path))
    text, errors = policy.decode(data)
    if errors and errors[0].kind in ("binary", "encoding"):  # not text: keep the bytes, say why
        job = jobs.open_job(_job_dir(args, settings, path.stem))
        (job.dir / "upload.bin").write_bytes(data)
        job.write_code("")
        return [Failed(e.stage, e.message, e.line, e) for e in errors] + [
            Finished(JobResult(job_dir=job.dir, errors=errors))]
    request = pipeline.Request(code=text if text is not None else data.decode("utf-8"),
                               scene=getattr(args, "scene", None), settings=settings, sanitize=args.fix,
                               job_dir=_job_dir(args, settings, path.stem))
    return pipeline.run(request)


def cmd_render(args) -> int:
    """Render a file as written (or with --fix after sanitize; no model): policy, validate, sandboxed
    render. A folder renders each of its .py files and ends with a table and a summary."""
    settings = _settings(args)
    if Path(args.file).is_dir():
        if args.scene:
            raise UsageError("--scene names one scene of one file; it cannot apply to a folder")
        return _render_folder(args, settings)
    return drive(_render_request(args, settings, Path(args.file)), args.json)


# ------------------------------------------------------------------------------------- folders
RENDERED, FIXED_RENDERED, FIXED, OK, FAILED = "rendered", "fixed-then-rendered", "fixed", "ok", "failed"
PARTIAL = "partial"  # a video of the animations before the one that fails: not a success, not nothing


def _folder_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.rglob("*.py")
                   if not any(part.startswith((".", "__")) for part in p.relative_to(folder).parts))
    if not files:
        raise UsageError(f"{folder}: no .py files in this folder")
    return files


def _reason(errors: list) -> str:
    """A failure's reason for the summary: stage and kind of the first error (validate/NameError)."""
    if not errors:
        return "unknown"
    e = errors[0]
    return f"{e.stage}/{e.kind}" if e.kind else e.stage


def _summary(rows: list[dict], statuses: tuple[str, ...]) -> dict:
    failed = [r for r in rows if r["status"] == FAILED]
    by_reason: dict[str, int] = {}
    for r in failed:
        by_reason[r["reason"]] = by_reason.get(r["reason"], 0) + 1
    out = {"files": len(rows), **{st: sum(r["status"] == st for r in rows) for st in statuses}}
    out["failed_by_reason"] = dict(sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _summary_line(summary: dict, statuses: tuple[str, ...]) -> str:
    parts = [f"{summary[st]} {st}" for st in statuses if st != FAILED]
    failed = f"{summary[FAILED]} failed"
    if summary["failed_by_reason"]:
        failed += " (" + ", ".join(f"{k} {v}" for k, v in summary["failed_by_reason"].items()) + ")"
    return f"{summary['files']} files: " + ", ".join(parts + [failed])


def _folder_report(rows: list[dict], statuses: tuple[str, ...], as_json: bool) -> int:
    summary = _summary(rows, statuses)
    ok = summary[FAILED] == 0 and not summary.get(PARTIAL)
    if as_json:
        print(json.dumps({"ok": ok, "files": rows, "summary": summary}))
    else:
        width = max(len(r["file"]) for r in rows)
        print(f"{'file':{width}}  {'status':20} {'fixes':>5}  detail")
        for r in rows:
            print(f"{r['file']:{width}}  {r['status']:20} {len(r['fixes']):5}  {r['detail']}")
        print(_summary_line(summary, statuses))
    return EXIT_OK if ok else EXIT_FAILED


def _render_folder(args, settings: config.Settings) -> int:
    folder = Path(args.file)
    rows = []
    for path in _folder_files(folder):
        result = JobResult()
        for ev in _render_request(args, settings, path):
            if isinstance(ev, Finished):
                result = ev.result
        status = (PARTIAL if result.status == PARTIAL else FAILED if not result.ok
                  else FIXED_RENDERED if result.fixes else RENDERED)
        first = result.errors[0].short() if result.errors else ""
        row = {"file": str(path.relative_to(folder)), "status": status, "ok": result.ok,
               "reason": _reason(result.errors) if not result.ok else "",
               "detail": first[:120] if not result.ok else str(result.video or ""),
               "fixes": [f.as_dict() for f in result.fixes], "errors": [e.as_dict() for e in result.errors],
               "video": str(result.video) if result.video else None,
               "job_dir": str(result.job_dir) if result.job_dir else None,
               "scene": result.scene}
        rows.append(row)
        print(f"{row['status']:20} {row['file']}" + (f": {first}" if first else ""), file=sys.stderr, flush=True)
    return _folder_report(rows, (RENDERED, FIXED_RENDERED, PARTIAL, FAILED), args.json)


def _check_one(path: Path, fix: bool) -> tuple[list, list, list]:
    """(fixes, errors, warnings) of one file; with fix, the fixed code is written back."""
    from text_to_manim.scene import policy

    text, errors = policy.decode(_read_code(str(path)))
    fixes: list[Fix] = []
    if text is not None and fix:
        from text_to_manim.fixes import sanitize

        text, fixes = sanitize.sanitize(text)
        if fixes:
            path.write_text(text, encoding="utf-8")
    review = policy.review(text, policy.shipped_files(path.parent)) if text is not None else None
    return fixes, review.errors if review else errors, review.warnings if review else []


def cmd_check(args) -> int:
    path = Path(args.file)
    if path.is_dir():
        rows = []
        for p in _folder_files(path):
            fixes, errors, warnings = _check_one(p, args.fix)
            status = FAILED if errors else FIXED if fixes else OK
            rows.append({"file": str(p.relative_to(path)), "status": status, "ok": not errors,
                         "reason": _reason(errors) if errors else "",
                         "detail": errors[0].short()[:120] if errors else (fixes[0].what[:120] if fixes else ""),
                         "fixes": [f.as_dict() for f in fixes], "errors": [e.as_dict() for e in errors],
                         "warnings": [w.as_dict() for w in warnings]})
        return _folder_report(rows, (OK, FIXED, FAILED), args.json)
    fixes, errors, warnings = _check_one(path, args.fix)
    ok = not errors
    if args.json:
        print(json.dumps({"ok": ok, "errors": [e.as_dict() for e in errors], "fixes": [f.as_dict() for f in fixes]}))
    else:
        for f in fixes:
            print(f"fixed{' line ' + str(f.line) if f.line else ''}: {f.what}")
        for e in errors + warnings:
            print(f"{args.file}:{e.line or 0}: {e.kind}: {e.message}")
            if e.source_line:
                print(f"    {e.source_line}")
        print("ok" if ok else f"{len(errors)} problem(s)")
    return EXIT_OK if ok else EXIT_FAILED


def cmd_gallery(args) -> int:
    from text_to_manim import gallery

    entries = gallery.entries()
    if args.json:
        print(json.dumps([e.as_json() for e in entries]))
        return EXIT_OK
    for e in entries:
        params = ", ".join(f"{p.name}={p.default}" for p in e.params)
        print(f"{e.order:2}. {e.slug:22} {e.title}" + (f"  [{params}]" if params else ""))
        print(f"    {e.summary}")
    return EXIT_OK


def cmd_doctor(args) -> int:
    from text_to_manim.cli import doctor

    return doctor.main(as_json=args.json)


def cmd_generate(args) -> int:
    """The pipeline's CLI (issue 3): prompt -> reasoning on stderr, artifacts, JSON last line; with --lesson a
    storyboard of scenes rendered in parallel and stitched into one video with chapters (issue 17)."""
    from text_to_manim import pipeline

    lesson_only = [name for name, v in (("--scenes", args.scenes), ("--from", args.source),
                                        ("--storyboard", args.storyboard)) if v is not None]
    if lesson_only and not args.lesson:
        raise UsageError(f"{', '.join(lesson_only)} belong(s) to a lesson: add --lesson")
    if not args.prompt.strip() and not (args.lesson and (args.source or args.storyboard)):
        raise UsageError("the prompt is empty: describe a concept, e.g. \"k-means clustering\"")
    settings = _settings(args)
    if args.provider:
        settings = settings.with_(provider=args.provider)
    from text_to_manim.generate.providers import needs_key

    if settings.provider == "openai" and not settings.api_key and needs_key(settings):
        raise UsageError("--provider openai needs an API key: set DEEPSEEK_API_KEY (or LLM_API_KEY with "
                         "LLM_BASE_URL and LLM_MODEL) in .env, or use --provider offline")
    if args.lesson:
        return _lesson(args, settings)
    request = pipeline.Request(prompt=args.prompt, settings=settings, job_dir=_job_dir(args, settings))
    return drive(pipeline.run(request), args.json)


def _lesson_settings(settings: config.Settings) -> config.Settings:
    """A lesson's scenes render side by side: as many at once as the environment allows (the CLI's one job
    at a time does not apply to them)."""
    return settings.with_(render_concurrency=config.load().render_concurrency)


def _lesson(args, settings: config.Settings) -> int:
    from text_to_manim.pipeline import lesson, storyboard

    try:
        n = storyboard.clamp_scenes(args.scenes)
        board = storyboard.load(Path(args.storyboard)) if args.storyboard else None
        source = Path(args.source) if args.source else None
        if source is not None:
            storyboard.read_document(source)  # refuse a PDF or a missing file before a folder is made
    except storyboard.StoryboardError as exc:
        raise UsageError(str(exc)) from None
    request = lesson.LessonRequest(prompt=args.prompt, settings=_lesson_settings(settings), scenes=n,
                                   document=source, storyboard=board, job_dir=_job_dir(args, settings, "lesson"))
    return drive(lesson.run(request), args.json)


def cmd_lesson_redo(args) -> int:
    """Render one scene of a lesson again (with new words, or code given) and stitch the lesson again."""
    from text_to_manim.pipeline import lesson, storyboard

    settings = _lesson_settings(_settings(args))
    if args.provider:
        settings = settings.with_(provider=args.provider)
    folder = Path(args.lesson)
    if not folder.is_dir():
        folder = settings.jobs_dir / args.lesson
        if not folder.is_dir():
            from text_to_manim.store import open_store

            row = open_store(settings.db_path).get(args.lesson)
            folder = Path(row["job_dir"]) if row and row.get("job_dir") else folder
    code = _read_code(args.code).decode("utf-8", errors="replace") if args.code else None
    try:
        events = lesson.redo(folder, args.scene, settings=settings, instruction=args.prompt or "", code=code)
        first = next(events)  # the lesson's folder and the scene number are checked before anything runs
    except storyboard.StoryboardError as exc:
        raise UsageError(str(exc)) from None
    return drive(itertools.chain([first], events), args.json)


def _job_dir(args, settings: config.Settings, label: str = "") -> Path:
    """This run's own new folder inside `--out DIR` (default: the jobs dir), so runs sharing DIR never
    touch each other's files (issue 12.2)."""
    from text_to_manim import jobs

    return jobs.new_job(Path(args.out) if args.out else settings.jobs_dir, label).dir


def _settings(args) -> config.Settings:
    over = {"quality": getattr(args, "quality", None), "format": getattr(args, "format", None),
            "model": getattr(args, "model", None), "base_url": getattr(args, "base_url", None),
            "render_jobs": getattr(args, "jobs", None),
            **_speech_overrides(args),
            # one job at a time: one warm worker, and a second one getting ready for a folder's next file
            "render_concurrency": 2 if Path(getattr(args, "file", "") or "-").is_dir() else 1}
    return config.load(**over)


def _speech_overrides(args) -> dict:
    """The narration flags (None: not given, the settings' own value stands)."""
    if getattr(args, "narrate", False) and getattr(args, "no_narration", False):
        raise UsageError("--narrate and --no-narration contradict each other: give one")
    from text_to_manim.speech.engines import MAX_SPEED, MIN_SPEED

    speed = getattr(args, "voice_speed", None)
    if speed is not None and not MIN_SPEED <= speed <= MAX_SPEED:
        raise UsageError(f"--voice-speed {speed}: give a pace between {MIN_SPEED} and {MAX_SPEED} (1.0 is the voice's "
                         "own)")
    return {"narrate": True if getattr(args, "narrate", False) else None,
            "narration": False if getattr(args, "no_narration", False) else (True if getattr(args, "narrate", False)
                                                                             else None),
            "voice": getattr(args, "voice", None), "voice_speed": speed,
            "burn_captions": True if getattr(args, "burn_captions", False) else None}


def _render_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quality", choices=list(config.QUALITIES), help="l m h k = 480p15 720p30 1080p60 2160p60")
    p.add_argument("--format", choices=config.FORMATS)
    p.add_argument("--out", help="folder in which each run makes its own job folder <id>/ (default: media/jobs/)")
    p.add_argument("--json", action="store_true", help="print one JSON result object on the last line")
    n = p.add_argument_group("narration (voice-over, captions)")
    n.add_argument("--narrate", action="store_true",
                   help="a scene without voice-over gets one (written by the model, or from the scene's texts; a lesson's "
                        "scenes speak their storyboard narration)")
    n.add_argument("--no-narration", action="store_true", help="no speech and no captions, even for voice-over")
    n.add_argument("--voice", choices=["piper", "espeak", "openai"], help="the voice (default: the best available)")
    n.add_argument("--voice-speed", type=float, help="the voice's pace, 0.5 to 2.0 (default 1.0)")
    n.add_argument("--burn-captions", action="store_true", help="draw the captions into the picture too")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m text_to_manim", description="Concepts to Manim animations.")
    sub = ap.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="prompt -> reasoning, code, video and notes")
    g.add_argument("prompt", nargs="?", default="", help="the concept (a lesson's topic; optional with --from)")
    g.add_argument("--provider", choices=["offline", "openai"])
    g.add_argument("--model")
    g.add_argument("--base-url")
    g.add_argument("--lesson", action="store_true",
                   help="a storyboard of scenes rendered in parallel, stitched into one video with chapters")
    g.add_argument("--scenes", type=int, help="a lesson's number of scenes (3 to 8)")
    g.add_argument("--from", dest="source", metavar="FILE",
                   help="a lesson that follows this document's sections (Markdown, LaTeX, plain text or PDF)")
    g.add_argument("--storyboard", metavar="FILE", help="render this (edited) storyboard.json: no planning")
    _render_options(g)
    g.set_defaults(func=cmd_generate)

    lr = sub.add_parser("lesson-redo", help="render one scene of a lesson again and stitch the lesson again")
    lr.add_argument("lesson", help="the lesson's job id or folder")
    lr.add_argument("scene", type=int, help="the scene's number (1 = the first chapter)")
    lr.add_argument("--prompt", help="what to change, e.g. \"with a number line\"")
    lr.add_argument("--code", metavar="FILE", help="use this scene code instead of asking the model")
    lr.add_argument("--provider", choices=["offline", "openai"])
    lr.add_argument("--model")
    lr.add_argument("--base-url")
    _render_options(lr)
    lr.set_defaults(func=cmd_lesson_redo)

    r = sub.add_parser("render", help="check and render a scene file (or each file of a folder) in the sandbox")
    r.add_argument("file", help="a .py file, or a folder: each .py file in it, then a table and a summary")
    r.add_argument("--fix", action="store_true", help="apply sanitize's deterministic fixes before rendering")
    r.add_argument("--scene", help="the Scene class (default: the only or last one)")
    r.add_argument("--jobs", type=int, help="parallel chunks for a long scene")
    _render_options(r)
    r.set_defaults(func=cmd_render)

    c = sub.add_parser("check", help="policy-check a scene file or a folder (and fix what sanitize can)")
    c.add_argument("file", help="a .py file, or a folder: each .py file in it, then a table and a summary")
    c.add_argument("--fix", action="store_true", help="apply the deterministic fixes in place")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_check)

    gl = sub.add_parser("gallery", help="list the curated animations")
    gl.add_argument("--json", action="store_true")
    gl.set_defaults(func=cmd_gallery)

    d = sub.add_parser("doctor", help="check LaTeX, bubblewrap, ffmpeg, manim, API key")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_doctor)
    return ap


def main(argv: Optional[list[str]] = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_FAILED
