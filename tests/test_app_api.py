"""The Gradio app: its event->chat adapter (pure, with lists of events), then the real app launched on a free
port and driven with gradio_client: offline prompt -> streamed updates -> a video PyAV opens; "Render this
code" -> video; a policy violation -> a clear error while the app keeps answering; a scripted
OpenAI-compatible server -> reasoning streams before code; a bad key -> a plain message."""
from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.app_fixtures import (  # noqa: F401  (pytest fixtures)
    app_settings,
    app_url,
    chat_text,
    client,
    free_port,
    make_settings,
    scripted_answer,
    video_path,
)
from tests.llm_server import Reply, ScriptedLLM
from tests.video import probe
from text_to_manim import config, store
from text_to_manim.events import (
    GENERATE,
    POLICY,
    RENDER,
    REPAIR,
    SANITIZE,
    VALIDATE,
    Artifact,
    CodeDelta,
    CodeError,
    Failed,
    Finished,
    Fix,
    JobResult,
    NotesDelta,
    Progress,
    ReasoningDelta,
    StageFinished,
    StageStarted,
)
from text_to_manim.web.chat import ChatView, plain_error
from text_to_manim.web.views import DEEPSEEK, OFFLINE, OPENAI_COMPAT, banner_markdown, progress_html, session_settings

ROOT = Path(__file__).resolve().parent.parent
FORMULA_PROMPT = r"$\int_0^1 x^2\,dx = \frac{1}{3}$"  # offline: a formula template, with notes
BASIC_SCENE = (ROOT / "tests" / "data" / "scene_basic.py").read_text(encoding="utf-8")
SLOW_SCENE = ("from manim import *\n\nclass Slow(Scene):\n    def construct(self):\n        sq = Square()\n"
              "        for i in range(30):\n            self.play(sq.animate.rotate(PI / 5), run_time=1)\n")


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t

    def tick(self, s):
        self.t += s


def _view(**kw):
    clock = Clock()
    return ChatView(clock=clock, **kw).start("animate k-means"), clock


# --- the adapter, event by event -------------------------------------------------------------------------
def test_reasoning_bubble_streams_then_closes_with_duration_when_code_starts():
    v, clock = _view()
    v.apply(StageStarted(GENERATE))
    v.apply(ReasoningDelta("Let me think"))
    v.apply(ReasoningDelta(" about centroids."))
    think = v.messages[1]
    assert think["metadata"] == {"title": "Thinking", "status": "pending"}
    assert think["content"] == "Let me think about centroids."
    clock.tick(2.5)
    v.apply(CodeDelta("from manim import *\n"))
    v.apply(CodeDelta("class S(Scene):\n    pass\n"))
    think = v.messages[1]
    assert think["metadata"]["status"] == "done" and think["metadata"]["duration"] == 2.5
    code = v.messages[2]
    assert "metadata" not in code and code["content"].startswith("```python\nfrom manim import *")
    assert code["content"].endswith("```") and v.code.startswith("from manim import *")
    assert {"chat", "code"} <= v.take_dirty()


def test_stage_bubbles_progress_artifacts_and_success(tmp_path):
    video = tmp_path / "S.mp4"
    video.write_bytes(b"x")
    png = tmp_path / "preview.png"
    png.write_bytes(b"x")
    code = tmp_path / "scene.py"
    code.write_text("from manim import *\n")
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n$x^2$")
    v, clock = _view()
    v.apply(StageStarted(SANITIZE))
    clock.tick(0.3)
    v.apply(StageFinished(SANITIZE, 0.12, "2 fixes"))
    b = v.messages[-1]
    assert b["metadata"] == {"title": "Sanitize · 2 fixes", "status": "done", "duration": 0.12}
    v.apply(StageStarted(VALIDATE, "running the scene without frames"))
    v.apply(Failed("layout", "Text overlaps Axes", 7))
    v.apply(StageFinished(VALIDATE, 0.5, "failed"))
    assert v.messages[-1]["metadata"]["title"] == "✗ Validate scene · failed"
    assert v.messages[-1]["content"] == "Layout problem (line 7): Text overlaps Axes"
    v.apply(Artifact("code", code))
    v.apply(StageStarted(VALIDATE))
    v.apply(Artifact("preview", png))
    v.apply(StageFinished(VALIDATE, 1.5))
    assert v.preview == str(png) and v.video is None
    v.apply(StageStarted(RENDER, "5 animations"))
    v.apply(Progress(RENDER, 2, 5))
    assert v.progress == (RENDER, 2, 5) and v.messages[-1]["content"] == "animation 2 of 5"
    assert "Rendering animation 2 of 5" in progress_html(v.progress)
    v.apply(Artifact("video", video))
    v.apply(StageFinished(RENDER, 4.0, "1 chunk(s)"))
    v.apply(NotesDelta("# Notes"))
    v.apply(Artifact("notes_md", notes))
    res = JobResult(ok=True, video=video, preview=png, code=code, notes_md=notes, fixes=[Fix("ShowCreation -> Create")],
                    timings={SANITIZE: 0.12, VALIDATE: 2.0, RENDER: 4.0, "total": 7.1})
    v.apply(Finished(res))
    assert v.status == "ok" and v.video == str(video) and v.progress is None
    assert v.code == "from manim import *\n" and v.notes.startswith("# Notes")
    assert v.messages[-1]["content"].startswith("Done in 7.1 s.") and "fixed 1 thing" in v.messages[-1]["content"]
    assert v.downloads() == [str(video), str(code), str(notes)]
    assert all((m.get("metadata") or {}).get("status") != "pending" for m in v.messages)


def test_failure_repair_round_and_plain_words():
    """The pipeline's order: StageStarted, Failed (one per problem), StageFinished, then a repair round."""
    v, clock = _view()
    v.apply(StageStarted(GENERATE))
    v.apply(ReasoningDelta("plan"))
    v.apply(CodeDelta("import os\n"))
    assert "metadata" not in v.messages[-1]  # the code streams as a plain python block ...
    v.apply(StageFinished(GENERATE, 3.0, "40 characters"))
    assert v.messages[-1]["metadata"] == {"title": "Code · 1 line", "status": "done"}  # ... then folds
    v.apply(StageStarted(POLICY))
    err = CodeError(POLICY, "import of 'os' is not allowed", line=1, kind="forbidden-import", source_line="import os")
    v.apply(Failed(POLICY, err.message, 1, err))
    v.apply(StageFinished(POLICY, 0.01, "1 problem(s)"))
    bubble = v.messages[-1]
    assert bubble["metadata"]["title"] == "✗ Safety policy · 1 problem" and bubble["metadata"]["status"] == "done"
    assert "safety policy refused the code (line 1)" in bubble["content"] and "import os" in bubble["content"]
    v.apply(StageStarted(REPAIR, "round 1 of 2: [policy] line 1: import of 'os' is not allowed"))
    assert v.messages[-1]["metadata"]["title"] == "Repair round 1"
    v.apply(ReasoningDelta("fix it"))
    assert v.messages[-1]["metadata"]["title"] == "Thinking (repair round 1)"
    v.apply(CodeDelta("import subprocess\n"))
    assert v.code == "import subprocess\n"  # the code box follows the new round
    v.apply(StageFinished(REPAIR, 2.0, "round 1: 30 characters"))
    v.apply(StageStarted(POLICY))
    assert v.messages[-1]["metadata"]["title"] == "Safety policy · round 2"
    err2 = CodeError(POLICY, "import of 'subprocess' is not allowed", line=1)
    v.apply(Failed(POLICY, err2.message, 1, err2))
    v.apply(StageFinished(POLICY, 0.01, "1 problem(s)"))
    res = JobResult(ok=False, errors=[err2], status="failed", message="still failing after 1 repair round(s)")
    v.apply(Finished(res))
    assert v.status == "failed"
    last = v.messages[-1]["content"]
    assert last.startswith("**This did not work** (still failing after 1 repair round(s)).")
    assert "'subprocess' is not allowed" in last and "'os'" not in last and "Render this code" in last
    titles = [(m.get("metadata") or {}).get("title") for m in v.messages]
    assert titles.count("Repair round 1 · round 1: 30 characters") == 1, titles
    assert all((m.get("metadata") or {}).get("status") != "pending" for m in v.messages)


def test_gallery_code_arrives_whole_and_non_fatal_problems_do_not_fail_the_job(tmp_path):
    v, _ = _view()
    v.apply(StageStarted(GENERATE, "gallery scene 'kmeans'"))
    v.apply(CodeDelta("from manim import *\n" * 3))
    v.apply(StageFinished(GENERATE, 0.01, "K-means clustering"))
    v.apply(Failed("notes", "the gallery scene 'kmeans' has no study notes yet"))
    assert v.messages[-2]["metadata"]["title"] == "Gallery scene 'kmeans' · 3 lines"
    assert v.messages[-1]["metadata"]["title"] == "✗ Study notes · the gallery scene 'kmeans' has no study notes yet"
    v.apply(Finished(JobResult(ok=True, timings={"total": 12.0})))
    assert v.status == "ok" and v.messages[-1]["content"].startswith("Done in 12.0 s.")


def test_retrying_is_shown_but_is_not_an_error():
    v, _ = _view()
    v.apply(StageStarted(GENERATE))
    v.apply(Failed(GENERATE, "HTTP 503 from the server; retrying in 1.0 s (attempt 2 of 4)"))
    assert v.messages[-1]["metadata"]["title"] == "Generate · retrying" and not v.errors


def test_provider_errors_in_plain_words_never_show_the_key():
    v, _ = _view(secrets=["sk-secret-123456"], base_url="http://127.0.0.1:9/v1")
    v.apply(StageStarted(GENERATE))
    v.apply(Failed(GENERATE, "Error code: 401 - invalid api key sk-secret-123456"))
    v.apply(Finished(JobResult(ok=False, errors=[CodeError(GENERATE, "401 sk-secret-123456")],
                               message="Error code: 401 sk-secret-123456")))
    text = chat_text(v.messages)
    assert "sk-secret-123456" not in text and "rejected the API key" in text
    assert "Could not reach the model server at http://x" in plain_error(GENERATE, "Connection error.", None, "http://x")


def test_cancel_closes_pending_bubbles_once():
    v, _ = _view()
    v.apply(StageStarted(RENDER))
    v.cancel()
    v.cancel()
    assert v.status == "cancelled" and v.messages[-1]["content"].startswith("Cancelled")
    assert sum(1 for m in v.messages if str(m["content"]).startswith("Cancelled")) == 1
    assert all((m.get("metadata") or {}).get("status") != "pending" for m in v.messages)


def test_session_settings_and_banner():
    base = config.Settings(provider="offline", api_key="", base_url=config.DEEPSEEK_BASE_URL)
    s = session_settings(base, OFFLINE, quality="m", fmt="webm", rounds=1)
    assert (s.provider, s.quality, s.format, s.max_repair_rounds) == ("offline", "m", "webm", 1)
    s = session_settings(base, DEEPSEEK, "deepseek-reasoner", "", "sk-typed")
    assert s.provider == "openai" and s.api_key == "sk-typed" and s.base_url == config.DEEPSEEK_BASE_URL
    assert "sk-typed" not in str(s) and "sk-typed" not in str(s.public())
    s = session_settings(base, DEEPSEEK, "deepseek-reasoner", "", "")
    assert s.provider == "offline"  # no key: the offline gallery serves
    assert "offline gallery** is serving" in banner_markdown(s, wanted=DEEPSEEK)
    s = session_settings(base, OPENAI_COMPAT, "llama3", "http://127.0.0.1:11434/v1", "")
    assert s.provider == "openai" and s.base_url.startswith("http://127.0.0.1") and s.api_key
    assert "Offline gallery mode" in banner_markdown(config.Settings(provider="offline"))


# --- the real app, driven with gradio_client ------------------------------------------------------------
SKIPPED = object()


def _val(out):
    """One output as the client returns it: a value, or SKIPPED for a part that did not change."""
    if isinstance(out, dict) and out.get("__type__") == "update":
        if "value" in out:
            return out["value"]
        props = out.get("props")
        if isinstance(props, dict) and "value" in props:
            return props["value"]
        return SKIPPED
    return out


OUT_NAMES = ("chat", "video", "preview", "progress", "code", "notes", "notes_files", "files")


def _states(outs) -> list[dict]:
    """Every streamed update, each folded over the previous ones (skipped parts keep their value)."""
    cur, states = {}, []
    for o in outs:
        o = o if isinstance(o, (list, tuple)) else [o]
        for name, v in zip(OUT_NAMES, o):
            v = _val(v)
            if v is not SKIPPED:
                cur[name] = v
        states.append(dict(cur))
    return states


def _run(client, api_name: str, *args, timeout: float = 300, **kwargs) -> list[dict]:
    job = client.submit(*args, api_name=api_name, **kwargs)
    job.result(timeout=timeout)
    return _states(job.outputs())


def _thinking(chat) -> str:
    return "\n".join(_text(m) for m in chat or [] if str((m.get("metadata") or {}).get("title", "")).startswith("Thinking"))


def _text(m) -> str:
    c = m.get("content")
    if isinstance(c, list):
        return "".join(x.get("text", "") for x in c if isinstance(x, dict))
    return c if isinstance(c, str) else ""


def _assert_video(path) -> None:
    assert path and Path(path).is_file(), f"no video file: {path!r}"
    facts = probe(path)
    assert facts.frames > 5 and facts.duration > 0.5 and facts.width > 0
    assert facts.nonblank()


@pytest.mark.slow
def test_offline_prompt_streams_reasoning_code_stages_then_video_notes_and_files(client):
    t0 = time.monotonic()
    states = _run(client, "/generate", FORMULA_PROMPT)
    took = time.monotonic() - t0
    final = states[-1]
    assert len(states) >= 5, "the answer should stream in several updates"
    assert _text(states[0]["chat"][-1]) == FORMULA_PROMPT
    text = chat_text(final["chat"])
    assert "Thinking" in text and _thinking(final["chat"]).strip(), "the offline provider's reasoning is shown"
    for stage in ("Validate scene", "Render"):
        assert stage in text
    assert final["chat"][-1]["content"][0]["text"].startswith("Done in"), text
    video = video_path(final["video"])
    _assert_video(video)
    assert "class " in final["code"] and "from manim import" in final["code"]
    assert final["notes"] and len(final["notes"]) > 100
    names = [Path(f).name for f in final["files"]]
    for wanted in (".mp4", "scene.py", "notes.md", "notes.tex", "notes.pdf"):
        assert any(n.endswith(wanted) for n in names), (wanted, names)
    assert sorted(Path(f).name for f in final["notes_files"]) == ["notes.md", "notes.pdf", "notes.tex"]
    assert Path(next(f for f in final["notes_files"] if f.endswith(".pdf"))).read_bytes().startswith(b"%PDF")
    # the last frame showed before the video existed, then the render's progress, animation i of n
    assert any(s.get("preview") and not video_path(s.get("video")) for s in states), "no preview before the video"
    assert any("Rendering animation" in str(s.get("progress", "")) for s in states[:-1])
    print(f"offline prompt -> video in {took:.1f} s, {len(states)} updates")


@pytest.mark.slow
def test_render_this_code_goes_through_validate_and_render(client):
    t0 = time.monotonic()
    states = _run(client, "/render_code", BASIC_SCENE, "Basic")
    final = states[-1]
    assert "Render this code" in chat_text(final["chat"])
    _assert_video(video_path(final["video"]))
    assert final["code"].strip().startswith("from manim import")
    print(f"render this code -> video in {time.monotonic() - t0:.1f} s")
    # gif and webm on request, as real files next to the mp4
    for api, ext in (("/make_gif", ".gif"), ("/make_webm", ".webm")):
        files = _val(client.predict(api_name=api))
        made = [f for f in files if str(f).endswith(ext)]
        assert made, files
        facts = probe(made[0])
        assert facts.frames > 5 and facts.width > 0


@pytest.mark.slow
def test_policy_violation_is_a_clear_message_and_the_app_keeps_answering(client):
    bad = BASIC_SCENE.replace("from manim import *", "from manim import *\nimport subprocess") \
        .replace("self.wait(0.5)", "self.wait(0.5)\n        subprocess.run(['id'])")
    states = _run(client, "/render_code", bad, "", timeout=120)
    final = states[-1]
    text = chat_text(final["chat"])
    assert "This did not work" in text and "safety policy refused" in text.lower(), text
    assert "subprocess" in text
    assert not video_path(final.get("video"))
    # still answering: the history lists that job, newest first, with its code
    rows = _val(client.predict(api_name="/history")[0])  # (table, note): this visitor's jobs
    data = rows.get("data") if isinstance(rows, dict) else rows
    assert data and any("failed" in str(r[1]).lower() for r in data[:3]), data
    states = _run(client, "/render_code", BASIC_SCENE, "", timeout=300)
    _assert_video(video_path(states[-1]["video"]))


def _model_settings(base_url: str, key: str = "sk-test-api-0123456789") -> dict:
    return dict(provider=OPENAI_COMPAT, model="scripted-model", base_url=base_url, api_key=key)


@pytest.mark.slow
def test_scripted_server_reasoning_streams_before_code_then_renders(client, app_settings):
    key = "sk-test-api-0123456789"
    with ScriptedLLM([scripted_answer(delay=0.02) for _ in range(8)]) as llm:
        t0 = time.monotonic()
        states = _run(client, "/generate", "Plot the parabola y = x^2", **_model_settings(llm.base_url, key))
        took = time.monotonic() - t0
        # a follow-up refines the last scene: the model gets the current code with the request
        followup = _run(client, "/generate", "make the curve red", **_model_settings(llm.base_url, key))
        asks = [r["messages"][-1]["content"] for r in llm.requests]
    assert "Here is the current scene" in asks[-1] and "class ScriptedParabola" in asks[-1], asks[-1][:300]
    assert "make the curve red" in asks[-1]
    assert _text(followup[-1]["chat"][-1]).startswith("Done in")
    assert "Plot the parabola" in chat_text(followup[-1]["chat"])  # the conversation continues
    first_reasoning = next(i for i, s in enumerate(states) if "REASONING-MARKER" in _thinking(s.get("chat")))
    first_code = next(i for i, s in enumerate(states) if "class ScriptedParabola" in chat_text(s.get("chat")))
    assert first_reasoning < first_code, (first_reasoning, first_code)
    # while the reasoning streamed, no code was in the chat yet, and it arrived over several updates
    assert "class ScriptedParabola" not in chat_text(states[first_reasoning]["chat"])
    reasoning_updates = {len(_thinking(s.get("chat"))) for s in states[first_reasoning:first_code]}
    assert len(reasoning_updates) >= 2, "the reasoning should stream, not arrive in one piece"
    final = states[-1]
    assert _text(final["chat"][-1]).startswith("Done in"), chat_text(final["chat"])
    _assert_video(video_path(final["video"]))
    assert "ScriptedParabola" in final["code"] and "\\int_0^1" in final["notes"]
    assert llm.headers[-1]["authorization"] == f"Bearer {key}"
    assert key not in chat_text(final["chat"])
    # the key typed for this session is in no file: not the job folders, not the history database
    for f in app_settings.media_dir.rglob("*"):
        if f.is_file():
            assert key.encode() not in f.read_bytes(), f
    print(f"scripted model -> video in {took:.1f} s, reasoning at update {first_reasoning}, code at {first_code}")


@pytest.mark.slow
def test_bad_key_and_unreachable_server_are_plain_messages_and_recorded(client, app_settings):
    with ScriptedLLM([Reply(status=401, error="Authentication Fails (invalid api key)") for _ in range(4)]) as llm:
        states = _run(client, "/generate", "Plot the parabola y = x^2", timeout=60,
                      **_model_settings(llm.base_url, "sk-wrong-key-987654321"))
    text = chat_text(states[-1]["chat"])
    assert "rejected the API key" in text and "sk-wrong-key-987654321" not in text, text
    port = free_port()  # nothing listens there
    states = _run(client, "/generate", "Plot the parabola y = x^2", timeout=120,
                  **_model_settings(f"http://127.0.0.1:{port}/v1", "sk-any-123456"))
    text = chat_text(states[-1]["chat"])
    assert "Could not reach the model server" in text, text
    jobs = store.open_store(app_settings.db_path).recent(5)
    assert [j["status"] for j in jobs[:2]] == ["failed", "failed"]
    assert all("sk-" not in json.dumps(j) for j in jobs)


@pytest.mark.slow
def test_cancel_stops_the_render(client, app_settings):
    job = client.submit(SLOW_SCENE, "Slow", api_name="/render_code")  # long enough to be caught rendering
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until the render (or validate) runs
        outs = job.outputs()
        if outs and any(x in str(_states(outs)[-1].get("progress", "")) for x in ("Rendering", "Validate")):
            break
        time.sleep(0.3)
    t0 = time.monotonic()
    out = client.predict(api_name="/cancel")
    took = time.monotonic() - t0
    chat = _val(out[0]) if isinstance(out, (list, tuple)) else out
    assert "Cancelled" in chat_text(chat), chat_text(chat)
    assert took < 20, f"cancel took {took:.1f} s"
    latest = store.open_store(app_settings.db_path).recent(1)[0]
    assert latest["status"] == "cancelled"
    # no sandboxed manim process of that job is left running (a warm worker's: the job's log names it)
    warm = re.findall(r"warm worker: process (\d+)", (Path(latest["job_dir"]) / "render.log").read_text())

    def leftovers():
        pids = subprocess.run(["pgrep", "-f", latest["job_dir"]], capture_output=True, text=True).stdout.split()
        pids += [p for p in warm if Path(f"/proc/{p}").exists()]
        return [Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ")[:200] for p in pids
                if Path(f"/proc/{p}/cmdline").exists()]

    deadline = time.monotonic() + 10
    while leftovers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not leftovers(), leftovers()
    print(f"cancel answered in {took:.1f} s")


def test_entry_point_defaults_and_queue_limit(monkeypatch, tmp_path):
    import app

    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    a = app.parse_args([])
    assert (a.host, a.port, a.share) == ("127.0.0.1", 7860, False)
    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7999")
    a = app.parse_args([])
    assert (a.host, a.port) == ("0.0.0.0", 7999)
    a = app.parse_args(["--host", "127.0.0.2", "--port", "8000", "--share"])
    assert (a.host, a.port, a.share) == ("127.0.0.2", 8000, True)
    demo = app.build_app(make_settings(tmp_path / "media", render_concurrency=3))
    assert demo._queue.default_concurrency_limit == 3
    jobs = [fn for fn in demo.fns.values() if fn.concurrency_id == "t2m-jobs"]  # every job event ...
    assert len(jobs) >= 4 and demo.t2m_app.queue.slots == 3  # ... goes through the app's queue of 3 slots
    named = {fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public"}
    assert {"generate", "render_code", "gallery", "cancel", "history", "make_gif", "make_webm"} <= named


@pytest.mark.slow
def test_a_scene_still_failing_after_the_repair_rounds_shows_each_round_and_why(client, app_settings):
    from text_to_manim.generate import prompts

    broken = BASIC_SCENE.replace("class Basic(Scene):", "class Broken(Scene):").replace(
        "self.wait(0.5)", "self.play(Create(undefined_curve))")

    def answer(body):
        system = body["messages"][0]["content"]
        if system.startswith(prompts.ANCHOR_SYSTEM[:40]):
            return Reply(content="NONE")
        return Reply(reasoning="I will draw it. ", content=f"{prompts.CODE_HEADING}\n```python\n{broken}```\n")

    line = next(i for i, x in enumerate(broken.splitlines(), 1) if "undefined_curve" in x)
    with ScriptedLLM([answer for _ in range(6)]) as llm:
        states = _run(client, "/generate", "Draw a parabola, then something undefined", timeout=180,
                      rounds=1, **_model_settings(llm.base_url))
        repair_prompt = llm.requests[-1]["messages"][-1]["content"]
    final = states[-1]
    text = chat_text(final["chat"])
    assert "Repair round 1" in text and "Thinking (repair round 1)" in text, text
    assert text.count("✗ Validate scene") == 2, text  # the first attempt and the repaired one
    last = _text(final["chat"][-1])
    assert last.startswith("**This did not work** (still failing after 1 repair round(s))"), last
    assert "undefined_curve" in last and f"line {line}" in last, last
    assert f"line {line}" in repair_prompt and "undefined_curve" in repair_prompt  # the model was told precisely
    # issue 19: what played before the failure is shown as a partial video, and said to be partial
    assert video_path(final.get("video")) and "The video on the right is partial" in last, last
    assert "before the one that fails (animation 3)" in last, last
    job = store.open_store(app_settings.db_path).recent(1)[0]
    assert job["status"] == "partial" and "undefined_curve" in job["final_code"] and len(job["rounds"]) == 2
