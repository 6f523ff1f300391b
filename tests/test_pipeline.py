"""The whole pipeline against real things: a scripted OpenAI-compatible server on 127.0.0.1 (through the
real openai SDK), real LaTeX, the real sandboxed validate and render, real SQLite history."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from text_to_manim import config
from text_to_manim.events import (
    ANCHOR,
    EXTRACT,
    GENERATE,
    REPAIR,
    SANITIZE,
    VALIDATE,
    Artifact,
    CodeDelta,
    Failed,
    Finished,
    NotesDelta,
    ReasoningDelta,
    StageStarted,
)
from text_to_manim.pipeline import conductor as pipeline

from .conftest import run_cli
from .llm_server import Reply, ScriptedLLM

KEY = "sk-test-SECRET-4242-do-not-store"

GOOD = """from manim import *


class Ring(Scene):
    def construct(self):
        ring = Circle(radius=1.2, color=BLUE)
        self.play(Create(ring), run_time=0.5)
        self.wait(0.2)
"""
# Line 8 uses a name that does not exist: validate catches it (NameError, line 8) before any frame.
BROKEN = """from manim import *


class Ring(Scene):
    def construct(self):
        ring = Circle(radius=1.2, color=BLUE)
        self.play(ShowCreation(ring), run_time=0.5)
        self.play(ring.animate.shift(UPP), run_time=0.3)
        self.wait(0.2)
"""
NOTES = "# Circles\n\nA circle of radius $r$ has area $A = \\pi r^2$.\n\n- it is round\n"


def answer(code: str, notes: str = NOTES) -> str:
    return f"I will draw a ring.\n## Code\n```python\n{code}```\n## Notes\n{notes}"


def _settings(tmp_path, base_url: str, **kw) -> config.Settings:
    base = dict(provider="openai", base_url=base_url, api_key=KEY, model="scripted-model",
                media_dir=tmp_path / "media", db_path=tmp_path / "media" / "history.sqlite3", render_jobs=1,
                max_repair_rounds=2)
    base.update(kw)
    return config.Settings(**base)


def _run(request) -> tuple[list, object]:
    events = list(pipeline.run(request))
    assert isinstance(events[-1], Finished)
    assert sum(isinstance(e, Finished) for e in events) == 1
    return events, events[-1].result


def _stages(events) -> list[str]:
    return [e.stage for e in events if isinstance(e, StageStarted)]


def _row(settings, job_id):
    db = sqlite3.connect(settings.db_path)
    db.row_factory = sqlite3.Row
    return dict(db.execute("SELECT * FROM jobs WHERE id=?", (job_id,)).fetchone())


@pytest.fixture
def llm():
    with ScriptedLLM() as server:
        yield server


@pytest.mark.slow
def test_model_job_streams_reasoning_code_notes_and_renders(tmp_path, llm):
    llm.push(
        Reply(reasoning="The area formula is the anchor.", content="$$ A = \\pi r^2 $$"),  # anchor call
        Reply(reasoning="A ring first, then a pause.", content=answer(GOOD), chunk_size=24),
    )
    settings = _settings(tmp_path, llm.base_url)
    events, result = _run(pipeline.Request(prompt="draw a ring and explain its area", settings=settings))
    assert result.ok, [e.short() for e in result.errors]
    # the stream: reasoning first, code and notes as they arrive, every stage announced
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("ReasoningDelta") < kinds.index("CodeDelta") < kinds.index("NotesDelta")
    assert "".join(e.text for e in events if isinstance(e, CodeDelta)) == GOOD
    assert "".join(e.text for e in events if isinstance(e, NotesDelta)).strip() == NOTES.strip()
    assert _stages(events)[:3] == [ANCHOR, GENERATE, EXTRACT]
    assert {SANITIZE, VALIDATE, "render", "notes"} <= set(_stages(events))
    # anchoring: the formula compiled once and went into the generation prompt
    assert result.formulas == [{"formula": "A = \\pi r^2", "ok": True, "error": ""}]
    gen_prompt = llm.requests[1]["messages"][-1]["content"]
    assert "known to compile" in gen_prompt and "A = \\pi r^2" in gen_prompt
    # artifacts
    assert result.video.is_file() and result.video.stat().st_size > 1000
    assert result.code.read_text() == GOOD
    assert "\\pi r^2" in result.notes_md.read_text()
    assert "\\begin{document}" in result.notes_tex.read_text()
    if result.notes_pdf:
        assert result.notes_pdf.read_bytes().startswith(b"%PDF")
    kinds_art = {e.kind for e in events if isinstance(e, Artifact)}
    assert {"code", "video", "notes_md", "notes_tex", "preview"} <= kinds_art
    data = result.as_json()
    assert data["ok"] and data["timings"]["render"] > 0 and data["first_reasoning"] > 0
    json.dumps(data)
    # history: the job, its round, never the key
    row = _row(settings, result.job_id)
    assert row["status"] == "ok" and row["provider"] == "openai" and row["model"] == "scripted-model"
    assert json.loads(row["rounds"])[0]["code"] == GOOD
    assert KEY.encode() not in settings.db_path.read_bytes()
    for f in result.job_dir.rglob("*"):
        if f.is_file():
            assert KEY.encode() not in f.read_bytes(), f


@pytest.mark.slow
def test_repair_round_fixes_a_runtime_error(tmp_path, llm):
    seen = {}

    def repair(body: dict) -> Reply:
        last = body["messages"][-1]["content"]
        seen["prompt"] = last
        ok = "line 8" in last and "NameError" in last and "ring.animate.shift(UPP)" in last
        return Reply(reasoning="UPP is a typo for UP.", content=answer(GOOD if ok else BROKEN, notes=""))

    llm.push(Reply(reasoning="Shift the ring up.", content=answer(BROKEN)), repair)
    settings = _settings(tmp_path, llm.base_url)
    # A prompt with LaTeX: the formula is compiled from the prompt, no anchor call to the model.
    events, result = _run(pipeline.Request(prompt="a ring of area $A = \\pi r^2$", settings=settings))
    assert result.ok, [e.short() for e in result.errors]
    assert len(llm.requests) == 2
    failed = [e for e in events if isinstance(e, Failed)]
    assert any(e.stage == VALIDATE and e.line == 8 and "UPP" in e.message for e in failed)
    assert REPAIR in _stages(events)
    assert "Repair round 1 of 2" in seen["prompt"] and ">>    8 |" in seen["prompt"]
    # sanitize ran on round 0 too (ShowCreation), and the repaired code is the final one
    rounds = result.rounds
    assert [r.round for r in rounds] == [0, 1] and rounds[0].failed_stage == VALIDATE
    assert any("ShowCreation -> Create" in f.what for f in rounds[0].fixes)
    assert result.repair_rounds == 1 and result.code.read_text() == GOOD
    assert (result.job_dir / "round0.py").is_file() and (result.job_dir / "round1.py").read_text() == GOOD
    assert result.notes_md.read_text().startswith("# Circles")  # round 0's notes kept
    row = _row(settings, result.job_id)
    assert len(json.loads(row["rounds"])) == 2 and row["status"] == "ok"


@pytest.mark.slow
def test_no_code_gets_a_format_repair_after_a_429(tmp_path, llm):
    def fmt(body: dict) -> Reply:
        assert "no Python code" in body["messages"][-1]["content"]
        return Reply(content=answer(GOOD))

    llm.push(Reply(status=429, error="rate limited", headers={"retry-after": "0"}),
             Reply(content="A ring is a circle. I would draw one, slowly."), fmt)
    settings = _settings(tmp_path, llm.base_url)
    events, result = _run(pipeline.Request(prompt="$x^2$ as a ring", settings=settings))
    assert result.ok
    failed = [e for e in events if isinstance(e, Failed)]
    assert any(e.stage == GENERATE and "429" in e.message and "retrying" in e.message for e in failed)
    assert any(e.stage == EXTRACT for e in failed)
    assert result.rounds[0].failed_stage == EXTRACT


def test_401_ends_the_job_with_an_actionable_message(tmp_path, llm, monkeypatch):
    monkeypatch.setenv("DEEPSEEK_API_KEY", KEY)
    llm.push(Reply(status=401, error="Authentication Fails"))
    settings = _settings(tmp_path, llm.base_url)
    events, result = _run(pipeline.Request(prompt="a ring", settings=settings, anchor=False))
    assert not result.ok
    err = result.errors[0]
    assert err.stage == GENERATE and "DEEPSEEK_API_KEY" in err.message and "offline" in err.message
    assert KEY not in err.message
    assert _row(settings, result.job_id)["status"] == "failed"
    assert KEY.encode() not in settings.db_path.read_bytes()


@pytest.mark.slow
def test_stream_cut_keeps_what_arrived(tmp_path, llm):
    text = answer(GOOD, notes="# Circles\n\nA long explanation that never finishes because the connection drops")
    chunks_to_code_end = text.index("## Notes") // 16 + 2
    llm.push(Reply(reasoning="ok", content=text, chunk_size=16, cut_after=chunks_to_code_end + 2))
    settings = _settings(tmp_path, llm.base_url)
    events, result = _run(pipeline.Request(prompt="$r$ ring", settings=settings))
    assert any(isinstance(e, Failed) and "cut off" in e.message for e in events)
    assert result.ok and result.code.read_text() == GOOD  # the code had arrived whole
    assert result.video.is_file()


def test_cancel_mid_stream(tmp_path, llm):
    llm.push(Reply(reasoning="r" * 200, content=answer(GOOD), chunk_size=4, delay=0.02))
    settings = _settings(tmp_path, llm.base_url)
    req = pipeline.Request(prompt="$x$ ring", settings=settings)
    events = []
    for ev in pipeline.run(req):
        events.append(ev)
        if isinstance(ev, ReasoningDelta) and len(events) > 5:
            req.cancel.set()
    result = events[-1].result
    assert not result.ok and result.status == "cancelled"
    assert _row(settings, result.job_id)["status"] == "cancelled"


def test_consumer_leaving_marks_the_job_cancelled(tmp_path, llm):
    llm.push(Reply(reasoning="r" * 100, content=answer(GOOD), chunk_size=4, delay=0.01))
    settings = _settings(tmp_path, llm.base_url)
    gen = pipeline.run(pipeline.Request(prompt="$x$ ring", settings=settings))
    for ev in gen:
        if isinstance(ev, ReasoningDelta):
            break
    gen.close()
    db = sqlite3.connect(settings.db_path)
    assert db.execute("SELECT status FROM jobs").fetchone()[0] == "cancelled"


# ------------------------------------------------------------------------------------------- offline
@pytest.mark.slow
def test_offline_formula_template_writes_explains_and_plots(tmp_path):
    settings = config.Settings(provider="offline", media_dir=tmp_path / "media", db_path=tmp_path / "h.db",
                               render_jobs=2)
    events, result = _run(pipeline.Request(prompt="explain $f(x)=x^2 \\sin x$", settings=settings))
    assert result.ok, [e.short() for e in result.errors]
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    assert "Formula template" in reasoning and "No model is used." in reasoning and "plots it" in reasoning
    code = result.code.read_text()
    assert "x**2 * np.sin(x)" in code and "axes.plot" in code
    assert 'MathTex(r"f(x)", r"=", r"x^2 \\sin x")' in code  # one backslash: \\ would be a TeX line break
    assert result.video.is_file() and result.notes_md.is_file() and result.notes_tex.is_file()
    assert result.provider == "offline" and result.offline == "formula"


def test_offline_no_match_is_honest(tmp_path):
    settings = config.Settings(provider="offline", media_dir=tmp_path / "media", db_path=tmp_path / "h.db")
    events, result = _run(pipeline.Request(prompt="the history of the roman empire", settings=settings))
    assert not result.ok and result.video is None
    assert "DEEPSEEK_API_KEY" in result.errors[0].message
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    assert "nothing matches" in reasoning and "No model is used." in reasoning
    assert not any(isinstance(e, StageStarted) and e.stage == VALIDATE for e in events)


@pytest.mark.slow
def test_render_this_code_sanitizes_first(tmp_path):
    settings = config.Settings(provider="offline", media_dir=tmp_path / "media", db_path=tmp_path / "h.db")
    old = GOOD.replace("Create(ring)", "ShowCreation(ring)")
    events, result = _run(pipeline.Request(code=old, settings=settings))
    assert result.ok and [f.what for f in result.fixes] == ["ShowCreation -> Create (renamed in Manim Community)"]
    assert result.code.read_text() == GOOD


@pytest.mark.slow
def test_cli_offline_kmeans_produces_video_and_notes(tmp_path):
    from text_to_manim import gallery

    proc = run_cli("generate", "k-means clustering with 3 clusters", "--provider", "offline", "--json",
                   "--out", str(tmp_path / "out"), timeout=900, env={"T2M_RENDER_JOBS": "2"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["ok"] and data["gallery"] == "kmeans" and data["params"] == ["K=3"]
    assert data["video"].endswith(".mp4") and data["code"].endswith("scene.py")
    assert "matched 'kmeans'" in proc.stderr and "No model is used." in proc.stderr
    from pathlib import Path

    assert Path(data["video"]).stat().st_size > 10000
    # the gallery's own study notes (documentation/kmeans.md/.tex) ship with the job, and build a PDF
    entry = gallery.get("kmeans")
    assert Path(data["notes_md"]).read_text() == entry.notes_md.read_text()
    assert Path(data["notes_tex"]).read_text() == entry.notes_tex.read_text()
    if shutil.which("pdflatex"):
        assert Path(data["notes_pdf"]).read_bytes().startswith(b"%PDF")


def test_first_reasoning_arrives_before_any_stage_work(tmp_path):
    """The offline provider says what it does before it imports scikit-learn and matches: only the generate
    stage's start comes before its first words, and they announce the matching, not its verdict."""
    settings = config.Settings(provider="offline", media_dir=tmp_path / "media", db_path=tmp_path / "h.db")
    gen = pipeline.run(pipeline.Request(prompt="something unknown", settings=settings))
    before = []
    for event in gen:
        if isinstance(event, ReasoningDelta):
            first = event
            break
        before.append(event)
    gen.close()
    assert [(type(e).__name__, e.stage) for e in before] == [("StageStarted", GENERATE)]
    assert "matching the prompt" in first.text and "nothing matches" not in first.text


@pytest.mark.slow
def test_cli_generate_with_a_model_server(tmp_path, llm):
    llm.push(Reply(reasoning="Thinking about rings.", content=answer(BROKEN)),
             Reply(reasoning="UPP -> UP.", content=answer(GOOD, notes="")))
    out = tmp_path / "job"
    proc = run_cli("generate", "a ring of area $A = \\pi r^2$", "--provider", "openai", "--base-url", llm.base_url,
                   "--model", "scripted-model", "--out", str(out), "--json",
                   env={"LLM_API_KEY": KEY, "T2M_DB": str(tmp_path / "h.db"), "T2M_RENDER_JOBS": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["ok"] and data["job_dir"].startswith(str(out) + "/") and data["repair_rounds"] == 1
    assert "Thinking about rings." in proc.stderr and "repair" in proc.stderr  # reasoning and stages on stderr
    assert data["fixes"] == [] and data["rounds"][0]["fixes"][0]["what"].startswith("ShowCreation")
    assert KEY not in proc.stdout and KEY.encode() not in (tmp_path / "h.db").read_bytes()


def test_cli_generate_usage_errors(tmp_path):
    proc = run_cli("generate", "  ", "--provider", "offline")
    assert proc.returncode == 2 and "empty" in proc.stderr
    proc = run_cli("generate", "x", "--provider", "openai", "--base-url", "https://api.deepseek.com",
                   env={"LLM_API_KEY": "", "DEEPSEEK_API_KEY": "", "OPENAI_API_KEY": ""})
    assert proc.returncode == 2 and "DEEPSEEK_API_KEY" in proc.stderr
