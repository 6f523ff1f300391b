"""Truncated and unparsable code (issue 8, family 3): recovered to what is complete, and said so."""
from __future__ import annotations

import ast

import pytest

from text_to_manim import config
from text_to_manim.events import Finished
from text_to_manim.fixes.recover import recover, strip_prose
from text_to_manim.fixes.sanitize import sanitize
from text_to_manim.pipeline import conductor as pipeline

HEAD = ("from manim import *\n\n\nclass Waves(Scene):\n    def construct(self):\n"
        "        title = Text(\"Waves\")\n        self.play(Write(title))\n")

CUTS = {
    "mid_call": HEAD + "        self.play(FadeIn(VGroup(title, Circle()).arrange(DO",
    "mid_string": HEAD + "        label = MathTex(r\"\\frac{1}{",
    "empty_loop": HEAD + "        for i in range(3):\n",
    "empty_helper": HEAD + "\n    def helper(self, x):\n",
    "mid_docstring": HEAD + "        \"\"\"Now the second part, where",
    "mid_list": HEAD + "        dots = [\n            Dot(LEFT),\n            Dot(RIGHT),\n            Dot(U",
    "mid_name": HEAD + "        self.wa",
}


@pytest.mark.parametrize("name", sorted(CUTS))
def test_a_cut_reply_keeps_its_complete_statements(name):
    new, fixes = sanitize(CUTS[name])
    ast.parse(new)
    assert new.startswith(HEAD)  # everything complete survives
    assert new.count("\n") <= HEAD.count("\n") + 1  # nothing unfinished does (at most a `pass`)
    cut = [f for f in fixes if "cut off at line" in f.what]
    assert len(cut) == 1 and "rendered what was complete" in cut[0].what
    assert sanitize(new) == (new, [])  # idempotent


def test_a_bracket_left_open_mid_file_is_closed_not_cut():
    code = HEAD + "        c = Circle(radius=2\n        self.play(Create(c))\n        self.wait()\n"
    new, fixes = recover(code)
    assert "c = Circle(radius=2)\n" in new and new.endswith("self.wait()\n")
    assert fixes[0].line == 8 and "closing the '('" in fixes[0].what


def test_an_error_mid_file_is_not_hidden_by_cutting():
    code = HEAD + "        x = = 3\n        self.play(Create(Circle()))\n        self.wait()\n"
    assert recover(code) == (code, [])


def test_code_that_parses_is_left_alone():
    assert recover(HEAD) == (HEAD, [])
    assert strip_prose(HEAD) == (HEAD, [])


def test_prose_and_fences_around_the_code_are_removed():
    fenced = "Here is the scene you asked for:\n\n```python\n" + HEAD + "```\n\nIt writes a title.\n"
    new, fixes = sanitize(fenced)
    assert new == HEAD and "Markdown fences" in fixes[0].what
    prose = "Here is the code for the animation:\n\n" + HEAD + "\nThis animation writes a title on screen.\n"
    new, fixes = sanitize(prose)
    assert new == HEAD
    assert [f.what.split(" (")[0] for f in fixes] == ["removed 1 line(s) of prose before the code",
                                                      "removed 1 line(s) of prose after the code"]


@pytest.mark.slow
def test_a_cut_scene_renders_what_was_complete(tmp_path):
    settings = config.load(media_dir=tmp_path / "media", db_path=tmp_path / "h.db", provider="offline",
                           api_key="", render_jobs=1)
    result = None
    for ev in pipeline.run(pipeline.Request(code=CUTS["mid_list"], settings=settings)):
        if isinstance(ev, Finished):
            result = ev.result
    assert result.ok, [e.short() for e in result.errors]
    assert result.video.stat().st_size > 1000
    assert any("cut off at line 11" in f.what for f in result.fixes)


def test_a_missing_paren_goes_before_a_method_a_string_lacks():
    code = (HEAD + "        eq = MathTex(r\"x^2\".next_to(title, DOWN)\n        self.play(Write(eq))\n")
    new, fixes = recover(code)
    assert 'eq = MathTex(r"x^2").next_to(title, DOWN)\n' in new and "closing the '('" in fixes[0].what


def test_a_bracket_opened_on_the_last_line_is_a_cut_not_a_slip():
    new, fixes = recover(HEAD + "        self.play(Create(Circle()), run_ti")
    assert new == HEAD and "cut off at line 8" in fixes[0].what


def test_a_cut_that_leaves_a_function_with_no_body_gets_a_pass_where_it_belongs():
    """Issue 19: cut inside an unclosed bracket right after a header ("'(' was never closed")."""
    code = ("from manim import *\n\nclass S(Scene):\n    def construct(self):\n        cfg = {\n"
            "            'a': 1,\n            'b': Circle(\n")
    new, fixes = recover(code)
    assert new.endswith("    def construct(self):\n        pass\n") and fixes
