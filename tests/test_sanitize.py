"""sanitize: each deterministic fix on its own, and the corpus of LLM-style broken scenes rendering after it."""
from __future__ import annotations

import ast
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from text_to_manim import gallery, jobs
from text_to_manim.fixes.sanitize import sanitize
from text_to_manim.tex.source import string_literal

DATA = Path(__file__).parent / "data"
CORPUS = sorted(DATA.glob("broken_*.py"))
# What each corpus file is about: a fix message containing this must be reported.
EXPECTED = {
    "broken_showcreation": "ShowCreation -> Create",
    "broken_textmobject": "TexMobject -> MathTex",
    "broken_graphscene": "GraphScene",
    "broken_config": "CONFIG dict",
    "broken_get_graph": "get_graph -> plot",
    "broken_fadeinfrom": "FadeInFrom",
    "broken_manimlib_import": "manimlib",
    "broken_nonraw_tex": "raw",
    "broken_dollar_mathtex": "$ delimiters",
    "broken_braces": "unclosed '{'",
    "broken_unicode_math": "unicode math",
    "broken_missing_import": "missing `from manim import *`",
    "broken_applymethod": "ApplyMethod",
    "broken_axes_ranges": "x_range",
    "broken_smart_quotes": "U+201C",
    "broken_left_right": "\\right.",
    "broken_old_indications": "CircleIndicate -> Circumscribe",
    "broken_parametric": "t_range",
}


def fix(code: str) -> tuple[str, list[str]]:
    new, fixes = sanitize(code)
    return new, [f.what for f in fixes]


def test_clean_code_is_left_alone():
    code = ('from manim import *\n\n\nclass A(Scene):\n    def construct(self):\n'
            '        t = MathTex(r"\\frac{1}{2}", "+", r"\\sqrt{x}")\n        s = Text("a\\nb")\n'
            '        self.play(Create(Circle()), Write(t), FadeIn(s, shift=UP))\n')
    new, fixes = fix(code)
    assert new == code and fixes == []


def test_non_raw_tex_is_made_raw_and_escaped_strings_keep_their_meaning():
    new, fixes = fix('from manim import *\na = MathTex("\\frac{1}{2}")\nb = MathTex("\\\\frac{1}{2}")\n'
                     'c = Text("line\\nnext")\nlabel = "\\theta"\n')
    assert 'a = MathTex(r"\\frac{1}{2}")' in new
    assert 'b = MathTex("\\\\frac{1}{2}")' in new  # already right: untouched
    assert 'c = Text("line\\nnext")' in new  # a newline in Pango text is meant
    assert 'label = r"\\theta"' in new  # a TeX command outside a call, by its name
    assert sum("raw" in f for f in fixes) == 2
    ns = {}
    exec(new.replace("from manim import *", "MathTex = Text = lambda *a: a"), ns)
    assert ns["a"] == ("\\frac{1}{2}",) and ns["b"] == ("\\frac{1}{2}",)


def test_dollars_stripped_only_in_math_mode():
    new, _ = fix('from manim import *\na = MathTex(r"$x^2$")\nb = Tex(r"where $x$ is real")\n')
    assert 'MathTex(r"x^2")' in new and 'Tex(r"where $x$ is real")' in new


def test_unicode_math_in_math_and_text_mode():
    new, _ = fix('from manim import *\na = MathTex("α² ≤ √(x+1)")\nb = Tex("angle θ")\nc = Text("α stays")\n')
    assert 'MathTex(r"\\alpha^{2} \\leq \\sqrt{x+1}")' in new
    assert 'Tex(r"angle $\\theta$")' in new and 'Text("α stays")' in new


def test_braces_are_closed_where_the_group_ends():
    new, _ = fix('from manim import *\na = MathTex(r"\\left( x^{2 \\right) = 1")\n'
                 'b = MathTex(r"\\sqrt{", r"x", r"}")\n')
    assert r'MathTex(r"\left( x^{2 }\right) = 1")' in new
    assert r'MathTex(r"\sqrt{", r"x", r"}")' in new  # balanced across substrings: fine


def test_old_api_shapes():
    new, fixes = fix("from manim import *\n\nclass A(Scene):\n    def construct(self):\n"
                     "        s = Square()\n        self.play(FadeInFrom(s, UP), run_time=2)\n"
                     "        self.play(s.shift, LEFT, s.set_color, RED)\n"
                     "        self.play(ApplyMethod(s.rotate, PI / 4, run_time=1))\n"
                     "        s.scale_about_point(2, ORIGIN)\n")
    assert "FadeIn(s, shift=DOWN)" in new
    assert "self.play(s.animate.shift(LEFT), s.animate.set_color(RED))" in new
    assert "s.animate(run_time=1).rotate(PI / 4)" in new
    assert "s.scale(2, about_point=ORIGIN)" in new
    ast.parse(new)


def test_fix_lines_point_into_the_returned_code():
    code = (DATA / "broken_graphscene.py").read_text()
    new, fixes = sanitize(code)
    lines = new.splitlines()
    for f in fixes:
        assert f.line and 1 <= f.line <= len(lines)
    get_graph = next(f for f in fixes if "get_graph" in f.what)
    assert "self.axes.plot" in lines[get_graph.line - 1]


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_file_gets_its_fix_and_is_stable(path):
    code = path.read_text(encoding="utf-8")
    new, fixes = fix(code)
    assert any(EXPECTED[path.stem] in f for f in fixes), fixes
    ast.parse(new)
    again, more = fix(new)
    assert again == new and more == []  # idempotent


def test_every_corpus_file_is_expected():
    assert {p.stem for p in CORPUS} == set(EXPECTED)


@pytest.mark.slow
def test_corpus_renders_after_sanitize(tmp_path):
    from text_to_manim import config
    from text_to_manim.events import Finished
    from text_to_manim.scene import render

    settings = config.Settings(media_dir=tmp_path / "media", db_path=tmp_path / "h.db", render_jobs=1)

    def one(path: Path):
        code, _ = sanitize(path.read_text(encoding="utf-8"))
        job = jobs.new_job(settings.jobs_dir)
        out = None
        for ev in render.render(code, job, quality="l", fmt="mp4", settings=settings):
            if isinstance(ev, Finished):
                out = ev.result
        return path.stem, out

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, CORPUS))
    failed = {name: [e.short() for e in out.errors] for name, out in results if not out.ok}
    assert not failed
    for name, out in results:
        assert out.video.is_file() and out.video.stat().st_size > 1000, name


def _imports_resolve(code: str) -> list[str]:
    """Every `from manim… import name` in the code names something that module has (checked by import)."""
    import importlib

    missing = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module.startswith("manim"):
            mod = importlib.import_module(node.module)
            missing += [f"{node.module}.{a.name}" for a in node.names if a.name != "*" and not hasattr(mod, a.name)]
    return missing


def test_renames_respect_where_a_name_is_imported_from():
    """Issue 12.1: ParametricSurface -> Surface must not produce `from opengl_surface import Surface`."""
    code = ("from manim import *\nfrom manim.mobject.opengl.opengl_surface import ParametricSurface\n"
            "from manim.mobject.three_d.three_dimensions import ParametricSurface as PS, Sphere\n\n"
            "class SmallDot(Dot):\n    pass\n\n"
            "class A(ThreeDScene):\n    def construct(self):\n"
            "        s = ParametricSurface(lambda u, v: [u, v, 0], u_range=[0, 1], v_range=[0, 1])\n"
            "        self.play(ShowCreation(s), FadeIn(SmallDot()), FadeIn(PS(lambda u, v: [u, v, 0])))\n")
    new, fixes = fix(code)
    assert _imports_resolve(new) == []
    assert "from manim import Surface\n" in new and "import Surface as PS, Sphere" in new
    assert "class SmallDot(Dot)" in new and "FadeIn(SmallDot())" in new  # the user's own class is not renamed
    assert "s = Surface(" in new and "Create(s)" in new
    assert any("imported from manim" in f for f in fixes)
    assert fix(new) == (new, [])


REALWORLD = sorted((DATA / "realworld").glob("*.py"))
GALLERY = sorted((Path(__file__).parent.parent / "animations").glob("[!_]*.py"))


def test_code_that_renders_is_never_changed_and_fixes_are_idempotent():
    """The gallery and the realworld corpus's fine scenes come out of sanitize untouched; every scene of the
    corpus, sanitized twice, changes no more the second time."""
    assert {p.resolve() for p in GALLERY} == {e.path.resolve() for e in gallery.entries()}  # the whole gallery
    fine = [p for p in REALWORLD if p.name.startswith("ok_")]
    assert fine and len(fine) < len(REALWORLD), "the realworld corpus has fine and broken scenes"
    for path in GALLERY + [p for p in REALWORLD if p.name.startswith("ok_")]:
        code = path.read_text(encoding="utf-8")
        assert sanitize(code) == (code, []), path.name
    for path in REALWORLD:
        once, _ = sanitize(path.read_text(encoding="utf-8"))
        assert sanitize(once) == (once, []), path.name


@pytest.mark.parametrize("quote", ['"', "'", '"""', "'''"])
@pytest.mark.parametrize("prefix", ["", "r", "u", "R"])
def test_a_rewritten_string_literal_holds_exactly_its_value(quote, prefix):
    """The one writer of string literals (fixers, offline template): whatever the value and the quotes the
    code used, the literal reads back as the value, raw when TeX's backslashes allow it."""
    values = [r"\frac{a}{b}", "a\nb", 'say "hi"', "it's", "ends in \\", "ends in \\\\", 'ends in "', "ends in '",
              '"""', "'''", "\\n is not a newline", "tab\there", "x\r\ny", ""]
    for value in values:
        literal = string_literal(value, quote, prefix)
        assert ast.literal_eval(literal) == value, (value, quote, prefix, literal)
    assert string_literal(r"\frac{a}{b}", quote, prefix).startswith("r")
