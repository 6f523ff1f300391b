"""Layout warnings (issue 8): texts too large for the frame are scaled by rule where they are made (a source
rewrite, validated again); what no rule can fix safely (overlaps) goes back to a real model round through
the scripted OpenAI-compatible server, and when that round fails the first version's video stands."""
from __future__ import annotations

import pytest

from text_to_manim import config
from text_to_manim.events import LAYOUT, Finished, StageStarted
from text_to_manim.fixes import layout
from text_to_manim.pipeline import conductor as pipeline

from .llm_server import Reply, ScriptedLLM

WIDE = """from manim import *


class Wide(Scene):
    def construct(self):
        title = Text("A title far too long for the frame of any video made at this size", font_size=48).to_edge(UP)
        row = VGroup(*[Text(w, font_size=64) for w in ["alpha", "beta", "gamma", "delta", "epsilon"]]).arrange(RIGHT, buff=0.8)
        self.play(Write(title), FadeIn(row), run_time=0.5)
"""
CROWDED = """from manim import *


class Crowded(Scene):
    def construct(self):
        a = Text("Gradient descent", font_size=48)
        b = Text("Learning rate", font_size=48)
        self.play(Write(a), Write(b), run_time=0.5)
"""
UNCROWDED = CROWDED.replace('b = Text("Learning rate", font_size=48)',
                            'b = Text("Learning rate", font_size=48).next_to(a, DOWN)')
BROKEN = CROWDED.replace("b.next_to", "b.next_to").replace("Write(b)", "Write(bb)")


def _facts(line, target, scale, kind="off-frame"):
    return {"kind": kind, "target_line": line, "target": target, "scale": scale, "target_width": 20.0,
            "target_height": 1.0, "frame": [14.222, 8.0]}


def test_rule_scales_where_the_object_is_made():
    code = 'x = 1\nt = Text("héllo wörld", font_size=9).to_edge(UP)\ng = VGroup(*[Text(s) for s in "ab"]).arrange(RIGHT)\n'
    fits = layout.fits([_facts(2, "Text", 0.5), _facts(2, "Text", 0.7), _facts(3, "VGroup", 0.8),
                        _facts(3, "Text", 1.0), _facts(9, "Text", 0.5, "overlap"), _facts(None, "Text", 0.5)])
    assert [(f.line, f.target, f.scale) for f in fits] == [(2, "Text", 0.5), (3, "VGroup", 0.8)]
    new, fixes = layout.apply(code, fits)
    assert new.splitlines()[1] == 't = Text("héllo wörld", font_size=9).scale(0.5).to_edge(UP)'
    assert new.splitlines()[2] == 'g = VGroup(*[Text(s) for s in "ab"]).scale(0.8).arrange(RIGHT)'
    assert [f.line for f in fixes] == [2, 3] and "fit the frame" in fixes[0].what and "20.0" in fixes[0].what


def test_rule_leaves_ambiguous_lines_alone():
    code = 'g = VGroup(Text("a"), Text("b"))\n'
    assert layout.apply(code, layout.fits([_facts(1, "Text", 0.5)])) == (code, [])
    assert layout.apply("def (:\n", layout.fits([_facts(1, "Text", 0.5)])) == ("def (:\n", [])


def _run(request):
    events = list(pipeline.run(request))
    assert isinstance(events[-1], Finished)
    return events, events[-1].result


@pytest.mark.slow
def test_too_wide_texts_are_scaled_by_rule_and_rendered(settings):
    events, result = _run(pipeline.Request(code=WIDE, settings=settings))
    assert result.ok and result.video, [e.short() for e in result.errors]
    fixed = {f.line: f.what for f in result.fixes if "fit the frame" in f.what}
    assert set(fixed) == {6, 7} and "Text" in fixed[6] and "VGroup" in fixed[7]
    assert any(isinstance(e, StageStarted) and e.stage == LAYOUT for e in events)
    assert not [w for w in result.warnings if w.kind == "off-frame"]  # validated again: gone
    code = result.code.read_text()
    assert ").scale(" in code.splitlines()[5] and ").scale(" in code.splitlines()[6]


def _model_settings(tmp_path, llm) -> config.Settings:
    return config.Settings(provider="openai", base_url=llm.base_url, api_key="sk-test-layout", model="scripted",
                           media_dir=tmp_path / "media", db_path=tmp_path / "media" / "history.sqlite3",
                           render_jobs=1, max_repair_rounds=2)


def _answer(code: str) -> str:
    return f"## Code\n```python\n{code}```\n## Notes\n# Layout\nText placed with care.\n"


@pytest.mark.slow
def test_overlap_goes_to_a_model_round_that_fixes_it(tmp_path):
    with ScriptedLLM([Reply(content=_answer(CROWDED)), Reply(content=_answer(UNCROWDED))]) as llm:
        events, result = _run(pipeline.Request(prompt="gradient descent", settings=_model_settings(tmp_path, llm),
                                               anchor=False))
        asked = llm.requests[1]["messages"][-1]["content"]
    assert "layout has problems" in asked and "overlap" in asked and "line 7" in asked
    assert result.ok and result.video and result.repair_rounds == 1
    assert result.code.read_text() == UNCROWDED
    assert not result.warnings
    assert [r.failed_stage for r in result.rounds] == ["", ""]


@pytest.mark.slow
def test_failed_layout_round_keeps_the_first_video(tmp_path):
    with ScriptedLLM([Reply(content=_answer(CROWDED)), Reply(content=_answer(BROKEN))]) as llm:
        events, result = _run(pipeline.Request(prompt="gradient descent", settings=_model_settings(tmp_path, llm),
                                               anchor=False))
        assert len(llm.requests) == 2  # no further round for the broken repair: the first version stands
    assert result.ok and result.video and result.video.stat().st_size > 1000, [e.short() for e in result.errors]
    assert result.code.read_text() == CROWDED
    assert [w.kind for w in result.warnings] == ["overlap"]
    rounds = result.rounds
    assert len(rounds) == 2 and rounds[1].failed_stage == "validate" and rounds[1].errors[0].line == 8
