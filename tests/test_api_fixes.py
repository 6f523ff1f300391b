"""Code models write for other Manims, fixed by rule for Manim CE 0.19+ (issue 8, families 2, 4, 5, 6).

Each test is a scene in the style models emit; the slow test renders the fixed scenes for real."""
from __future__ import annotations

import ast

import pytest

from text_to_manim import config
from text_to_manim.events import Finished
from text_to_manim.fixes import manim_api
from text_to_manim.fixes.sanitize import sanitize
from text_to_manim.pipeline import conductor as pipeline

GRAPH = '''from manim import *

class GraphDemo(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 5, 1], y_range=[0, 10, 2], x_axis_width=8, y_axis_height=5,
                    include_numbers=True, axis_color=LIGHT_BLUE)
        graph = axes.plot(lambda x: x ** 2, color=DARK_GREEN)
        area = axes.get_area(graph, 0, 2, dx_scaling=0.5, area_color=BLUE)
        labels = axes.get_axis_labels(x_label_tex="x", y_label_tex="y")
        title = MathTeX(r"\\int_0^2 x^2 dx").to_edge(UP)
        self.play(Create(axes), FadeIn(title, UP))
        self.play(Create(graph), FadeIn(area))
        dots = VGroup(*[Dot(axes.c2p(x, math.sqrt(x))) for x in range(5)])
        self.play(FadeIn(dots), self.camera.frame.animate.scale(0.8))
        self.play(title.animate.scale_in_place(1.2))
        show_label(labels)
        self.wait(FRAME_WIDTH / 14)
        self.embed()

    def show_label(self, labels):
        self.play(Write(labels))
'''

CODE = """from manim import *

PALETTE = make_palette(4)

class CodeDemo(Scene):
    def construct(self):
        snippet = '''def square(x):
    return x * x
'''
        listing = Code(code=snippet, language="python", font="Monospace", style="monokai",
                       insert_line_no=False, background_stroke_width=1)
        line = NumberLine(x_min=-3, x_max=3, numbers_to_show=[-2, 0, 2], include_numbers=True,
                          number_scale_val=0.6, tick_frequency=1)
        dots = VGroup(*[Dot(color=random.choice(PALETTE)) for _ in range(4)]).arrange(RIGHT)
        bars = make_bars()
        self.play(FadeIn(listing), Create(line))
        self.play(FadeIn(dots), FadeIn(bars))

        def make_bars():
            return VGroup(*[Rectangle(height=h, width=0.3) for h in (1, 2, 3)]).arrange(RIGHT)


def make_palette(n):
    return [BLUE, RED, GREEN, YELLOW, PURPLE][:n]
"""

MANIMGL = '''from manimlib import *

class Base(Scene):
    CONFIG = {
        "axes_config": {"x_range": [-3, 3], "y_range": [-2, 2]},
        "dot_color": BLUE,
    }

class Child(Base):
    CONFIG = {
        "axes_config": {"y_range": [-1, 1]},
    }

    def construct(self):
        digest_config(self, {})
        axes = Axes(**self.axes_config)
        title = TexText("Hello")
        formula = Tex(r"e^{i\\pi} + 1 = 0")
        self.play(ShowCreation(axes), Write(title), FadeIn(formula, UP))
        self.wait()
'''

TEX = '''from manim import *

class TexDemo(Scene):
    def construct(self):
        a = Tex(r"\\frac{a}{b} = c")
        b = Tex(r"Area = \\pi r^2")
        c = MathTex("This is the area of the circle")
        d = MathTex(r"\\cancel{x} + \\bm{v} = \\mathscr{L}")
        e = MathTex(r"\\begin{align} a &= b \\\\ c &= d \\end{align}")
        f = MathTex(r"\\SI{9.8}{m/s^2}", r"\\dv{f}{x}")
        g = MathTex(r"\\text{for all \\alpha}")
        h = Tex("Rocket \U0001F680 launch")
        self.play(Write(VGroup(a, b, c, d, e, f, g, h).arrange(DOWN).scale(0.5)))
'''

PHYSICS = r'''from manim import *

class Physics(Scene):
    def construct(self):
        eq1 = MathTex(r"\vb{F} = m \dv{\vb{v}}{t}")
        eq2 = MathTex(r"\bra{\psi} \hat{H} \ket{\psi} = E")
        eq3 = MathTex(r"\SI{9.81}{\meter\per\second\squared}")
        eq4 = Tex(r"E = mc^2 \quad \text{where } c \approx 3\times10^8")
        self.play(Write(VGroup(eq1, eq2, eq3, eq4).arrange(DOWN)))
'''

OLD_CODE = '''from manim import *

class ShowCode(Scene):
    def construct(self):
        code = Code(
            code="""def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)""",
            language="Python", font="Monospace", font_size=20, background="window", style="monokai",
        )
        self.play(Create(code))
        self.play(code.code.animate.set_opacity(0.5))
'''

MANIMGL_CAMERA = r'''from manimlib import *

class Intro(Scene):
    def construct(self):
        title = TexText("Linear Algebra")
        eq = Tex("A\\vec{x} = \\vec{b}")
        frame = self.camera.frame
        self.play(Write(title))
        self.play(title.animate.to_edge(UP), FadeIn(eq, UP))
        self.play(frame.animate.scale(0.7))
        self.play(FlashAround(eq))
        self.embed()
'''

SCENES = {"graph": GRAPH, "code": CODE, "manimgl": MANIMGL, "tex": TEX, "physics": PHYSICS, "old_code": OLD_CODE,
          "manimgl_camera": MANIMGL_CAMERA}


def fixed(code: str) -> tuple[str, list[str]]:
    new, fixes = sanitize(code)
    ast.parse(new)
    assert sanitize(new) == (new, [])  # idempotent
    return new, [f.what for f in fixes]


def has(fixes: list[str], *parts: str) -> bool:
    return any(all(p in f for p in parts) for f in fixes)


def test_axes_options_colours_names_and_removed_methods():
    new, fixes = fixed(GRAPH)
    assert 'axis_config={"include_numbers": True, "color": BLUE_B}' in new and "x_length=8" in new
    assert "color=GREEN_E" in new and has(fixes, "DARK_GREEN -> GREEN_E", "colour table")
    assert "axes.get_area(graph, x_range=[0, 2], color=BLUE)" in new and has(fixes, "removed dx_scaling=")
    assert 'get_axis_labels(x_label="x", y_label="y")' in new
    assert 'MathTex(r"\\int_0^2 x^2 dx")' in new and "FadeIn(title, shift=UP)" in new
    assert "import math\n" in new and "title.animate.scale(1.2)" in new
    assert "self.show_label(labels)" in new and "config.frame_width / 14" in new
    assert "class GraphDemo(MovingCameraScene)" in new and "self.embed()" not in new


def test_code_numberline_imports_and_definition_order():
    new, fixes = fixed(CODE)
    assert new.index("def make_palette") < new.index("PALETTE = make_palette(4)")
    assert new.index("def make_bars") < new.index("bars = make_bars()")
    assert "import random\n" in new
    assert ("code_string=snippet" in new and 'formatter_style="monokai"' in new and "add_line_numbers=False" in new
            and 'paragraph_config={"font": "Monospace"}' in new and 'background_config={"stroke_width": 1}' in new)
    assert "x_range=[-3, 3, 1]" in new and "numbers_to_include=[-2, 0, 2]" in new
    assert has(fixes, "removed number_scale_val=", "NumberLine(x_range=None")  # the current signature


def test_manimgl_config_is_merged_and_its_machinery_removed():
    new, fixes = fixed(MANIMGL)
    assert 'axes_config = {**Base.axes_config, "y_range": [-1, 1]}' in new
    assert "digest_config" not in new and 'MathTex(r"e^{i\\pi} + 1 = 0")' in new and 'Tex("Hello")' in new


def test_latex_that_would_not_compile():
    new, fixes = fixed(TEX)
    assert 'a = MathTex(r"\\frac{a}{b} = c")' in new and 'MathTex(r"\\text{Area} = \\pi r^2")' in new
    assert 'c = Tex("This is the area of the circle")' in new
    assert 'tex_template=T2M_TEX_TEMPLATE)' in new and 'add_to_preamble(r"\\usepackage{cancel}")' in new
    assert 'MathTex(r"a &= b \\\\ c &= d")' in new
    assert "\\text{for all }\\alpha" in new and "\U0001F680" not in new
    assert has(fixes, "TexTemplate", "\\bm (bm)")


def test_physics_and_siunitx_commands_get_their_packages():
    new, fixes = fixed(PHYSICS)
    assert new.count("tex_template=T2M_TEX_TEMPLATE") == 3
    assert 'Tex(r"E = mc^2 \\quad \\text{where } c' in new  # an existing \\text{} is not wrapped again
    assert new.index("{siunitx}") < new.index("{physics}") or "{siunitx}" not in new


def test_names_the_code_defines_are_not_touched():
    code = ("from manim import *\nimport numpy as np\n\nDARK_GREEN = '#006400'\n\n\nclass A(Scene):\n"
            "    def construct(self):\n        def helper():\n            return Dot(color=DARK_GREEN)\n"
            "        self.play(FadeIn(helper()))\n")
    assert sanitize(code) == (code, [])


def test_colour_names_come_from_manims_own_table():
    assert manim_api.nearest_colour("DARK_GREEN") == "GREEN_E"
    assert manim_api.nearest_colour("LIGHT_BLUE") == "BLUE_B"
    assert manim_api.nearest_colour("BLUE") is None  # exists: nothing to map
    assert manim_api.nearest_colour("FLUFFY") is None  # no colour at all


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENES))
def test_fixed_scene_renders(name, tmp_path):
    settings = config.load(media_dir=tmp_path / "media", db_path=tmp_path / "h.db", provider="offline",
                           api_key="", render_jobs=1)
    result = None
    for ev in pipeline.run(pipeline.Request(code=SCENES[name], settings=settings)):
        if isinstance(ev, Finished):
            result = ev.result
    assert result.ok, [e.short() for e in result.errors]
    assert result.video.stat().st_size > 1000 and result.fixes


def test_old_call_shapes_from_the_corpus():
    code = ("from manim import *\n\nclass A(Scene):\n    def construct(self):\n"
            "        n = DecimalNumber(0, num_decimal_places=1).to_edge(UP)\n"
            "        axes = Axes(x_range=[0, 4], y_range=[0, 9])\n        g = axes.plot(lambda x: x ** 2)\n"
            "        v = axes.get_vertical_line_to_graph(2, g, color=GREY)\n"
            "        s = Sector(outer_radius=2, angle=PI / 3)\n"
            "        self.play(v.rotate, PI / 2, {\"about_point\": ORIGIN})\n"
            "        self.play(n.animate.set_value(5), Create(s))\n")
    new, fixes = fixed(code)
    assert "v = axes.get_vertical_line(axes.i2gp(2, g), color=GREY)" in new
    assert "Sector(radius=2, angle=PI / 3)" in new
    assert "self.play(v.animate.rotate(PI / 2, about_point=ORIGIN))" in new
    assert "self.play(n.animate.set_value(5), Create(s))" in new  # fine unless the digits change: a shim's job


def test_manimgl_3d_camera_and_helpers():
    code = ("from manimlib import *\n\nclass T(ThreeDScene):\n    def construct(self):\n"
            "        frame = self.camera.frame\n        frame.reorient(-30, 70)\n"
            "        title = Text(\"A torus\")\n        title.fix_in_frame()\n"
            "        torus = Torus(r1=2, r2=0.5)\n        line = always_redraw(Line, a.get_center, b.get_center)\n"
            "        title.set_backstroke(width=8)\n        n = get_norm(v)\n"
            "        self.play(frame.animate.reorient(30, 50), FadeIn(torus), run_time=3)\n")
    new, fixes = fixed(code)
    assert "self.set_camera_orientation(theta=-120 * DEGREES, phi=70 * DEGREES)" in new
    assert "self.add_fixed_in_frame_mobjects(title)" in new and "Torus(major_radius=2, minor_radius=0.5)" in new
    assert "always_redraw(lambda: Line(a.get_center(), b.get_center()))" in new
    assert "title.set_stroke(BLACK, width=8, background=True)" in new and "np.linalg.norm(v)" in new
    assert ("self.move_camera(theta=-60 * DEGREES, phi=50 * DEGREES, added_anims=[FadeIn(torus)], run_time=3)"
            in new)


def test_tex_special_characters_and_shorthands():
    code = ("from manim import *\n\nclass A(Scene):\n    def construct(self):\n"
            "        a = MathTex(r\"95% \\text{ of lr_0}\")\n        b = Tex(r\"Only 5% of a_b & $x_1$\")\n"
            "        c = MathTex(r\"f : \\R^d \\to \\R, \\argmin_x f\")\n"
            "        d = MathTex(r\"{\\color{yellow} 4} = 4\")\n")
    new, fixes = fixed(code)
    assert r'MathTex(r"95\% \text{ of lr\_0}")' in new and r'Tex(r"Only 5\% of a\_b \& $x_1$")' in new
    assert r"\providecommand{\R}{\mathbb{R}}" in new and r"\providecommand{\argmin}{\operatorname*{arg\,min}}" in new
    assert r"\usepackage{xcolor}" in new and new.count("tex_template=T2M_TEX_TEMPLATE") == 2


def test_old_number_line_keys_inside_axis_config():
    code = ("from manim import *\nclass A(Scene):\n    def construct(self):\n"
            "        ax = Axes(axis_config={\"numbers_to_show\": [1, 2], \"tick_frequency\": 1, \"include_numbers\": True})\n"
            "        self.play(Create(ax))\n")
    new, fixes = fixed(code)
    assert 'Axes(axis_config={"numbers_to_include": [1, 2], "include_numbers": True})' in new
