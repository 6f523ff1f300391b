"""One gate per version of the code: the policy review and the scene choice run once for each version a job
renders (the code as given, the layout rule's rewrite), and what they pass cannot be forged; the public
entry points (validate, render with raw code) still review what they are given."""
from __future__ import annotations

import dataclasses

import pytest

from text_to_manim import config
from text_to_manim.events import POLICY, Failed, Finished
from text_to_manim.pipeline import Request, run
from text_to_manim.sandbox import targets, workers
from text_to_manim.scene import gate, policy, render, validate
from text_to_manim.scene.gate import CheckedCode

DOT = """from manim import *


class Dot1(Scene):
    def construct(self):
        self.play(FadeIn(Dot()), run_time=0.5)
"""
# the layout rule rewrites line 6 (too wide): a second version of the code, reviewed once more
WIDE = """from manim import *


class Wide(Scene):
    def construct(self):
        title = Text("A title far too long for the frame of any video made at this size", font_size=48).to_edge(UP)
        self.play(Write(title), run_time=0.5)
"""
ESCAPE = DOT.replace("from manim import *", "from manim import *\nimport subprocess")


@pytest.fixture
def reviews(monkeypatch) -> list[str]:
    """Every policy review of the job, by the code it reviewed."""
    seen: list[str] = []
    real = policy.review

    def counted(code, allowed_files=()):
        seen.append(code if isinstance(code, str) else code.decode())
        return real(code, allowed_files)

    monkeypatch.setattr(policy, "review", counted)
    return seen


def _result(request: Request):
    events = list(run(request))
    assert isinstance(events[-1], Finished)
    return events[-1].result


@pytest.mark.slow
def test_one_review_for_code_that_renders(settings, reviews):
    result = _result(Request(code=DOT, settings=settings))
    assert result.ok and result.video, [e.short() for e in result.errors]
    assert reviews == [DOT]  # not again by the early render, validate or render


@pytest.mark.slow
def test_one_review_per_version_when_the_layout_rule_rewrites(settings, reviews):
    result = _result(Request(code=WIDE, settings=settings))
    assert result.ok and result.video, [e.short() for e in result.errors]
    final = result.code.read_text()
    assert final != WIDE and ").scale(" in final  # the rule made a second version
    assert reviews == [WIDE, final]


def test_checked_code_comes_only_from_the_gate(job):
    with pytest.raises(TypeError, match="scene.gate.check"):
        CheckedCode(ESCAPE, "Dot1")
    checked = gate.check(DOT, job).checked
    assert checked is not None and checked.scene == "Dot1" and job.scene_file.read_text() == DOT
    with pytest.raises(TypeError, match="scene.gate.check"):
        dataclasses.replace(checked, code=ESCAPE)  # its seal is over the code it checked
    with pytest.raises(TypeError, match="scene.gate.check"):
        dataclasses.replace(checked, scene="Other")


def test_the_gate_refuses_with_the_policy_line_and_no_scene(job):
    refused = gate.check(ESCAPE, job)
    assert refused.checked is None and refused.errors[0].stage == POLICY and refused.errors[0].line == 2
    none = gate.check("x = 1\n", job)
    assert none.checked is None and none.errors[0].kind == "no-scene"


@pytest.mark.parametrize("stage", [validate.validate, render.render])
def test_raw_code_given_to_validate_or_render_is_still_reviewed(job, settings, stage):
    events = list(stage(ESCAPE, job, settings=settings))
    failed = [e for e in events if isinstance(e, Failed)]
    assert failed and failed[0].stage == POLICY and failed[0].line == 2
    assert not events[-1].result.ok


def test_one_place_chooses_where_runs_go(tmp_path, settings):
    cold = targets.choose(tmp_path, settings)
    assert isinstance(cold, workers.ColdRuns) and not cold.warm and cold.start(["validate"], None, tmp_path) is None
    ray = targets.choose(tmp_path, config.load(media_dir=settings.media_dir, ray_address="127.0.0.1:1"))
    assert isinstance(ray, targets.RayRuns) and not ray.warm
    worker = object.__new__(workers.Worker)  # an already leased worker is used as it is
    assert targets.choose(tmp_path, settings, worker) is worker and worker.warm
