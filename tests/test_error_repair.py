"""Issue 19: repair driven by the error, with no model. Each shape is repaired from what the scene raised and
what the installed Manim really offers; a repair is kept only if the scene then gets further (real
validations in the real sandbox), and a guess never hides the real cause."""
from __future__ import annotations

import ast

import pytest

from text_to_manim import jobs
from text_to_manim.events import VALIDATE, CodeError, Finished
from text_to_manim.fixes.from_error import propose
from text_to_manim.scene import error_repair
from text_to_manim.scene.validate import validate

HEAD = "from manim import *\n\nclass S(Scene):\n    def construct(self):\n"


def scene(*lines: str, base: str = "Scene") -> str:
    return HEAD.replace("(Scene)", f"({base})") + "".join(f"        {ln}\n" for ln in lines)


def error(kind: str, message: str, line: int) -> CodeError:
    return CodeError(VALIDATE, message, line, kind)


def first(code: str, err: CodeError):
    found = list(propose(code, err))
    assert found, "no repair proposed"
    ast.parse(found[0].code)
    return found[0]


def test_an_unknown_method_becomes_the_closest_real_one():
    code = scene("ax = Axes()", "ax.add_coordinate_labels()", "self.play(Create(ax))")
    got = first(code, error("AttributeError", "Axes object has no attribute 'add_coordinate_labels'", 6))
    assert "ax.add_coordinates()" in got.code and "add_coordinate_labels" not in got.code
    assert got.fix.line == 6 and "add_coordinates" in got.fix.what


def test_a_method_with_no_near_name_is_left_out_when_it_only_decorates():
    code = scene("beam = Line(LEFT, RIGHT)", "beam.add_glow(0.5)", "self.play(Create(beam))")
    got = first(code, error("AttributeError", "Line object has no attribute 'add_glow'", 6))
    assert "pass  # left out: beam.add_glow(0.5)" in got.code
    assert "self.play(Create(beam))" in got.code


def test_an_assignment_is_never_left_out():
    code = scene("v = Axes().get_thing_that_does_not_exist()", "self.play(Create(v))")
    missing = error("AttributeError", "Axes object has no attribute 'get_thing_that_does_not_exist'", 5)
    assert list(propose(code, missing)) == []


def test_an_unknown_keyword_is_mapped_to_the_real_parameter_or_dropped():
    code = scene("g = Axes().plot(lambda x: x, x_min=-2)", "self.play(Create(g))")
    got = first(code, error("TypeError", "plot() got an unexpected keyword argument 'x_min'", 5))
    assert "x_min" not in got.code and "Axes().plot(lambda x: x)" in got.code
    code = scene("t = Table([['a']], include_outer_line=True)")
    got = first(code, error("TypeError", "Table.__init__() got an unexpected keyword argument 'include_outer_line'", 5))
    assert "include_outer_lines=True" in got.code


def test_too_many_arguments_are_cut_to_the_signature():
    code = scene("d = Dot()", "d.move_to(ORIGIN, UP, 3, 4)")
    got = first(code, error("TypeError", "Mobject.move_to() takes from 2 to 4 positional arguments but 5 were given", 6))
    assert "d.move_to(ORIGIN, UP, 3)" in got.code
    code = scene("d = Dot()", "d.clear_updaters(True, 2)")
    got = first(code, error("TypeError", "Mobject.clear_updaters() takes 2 positional arguments but 3 were given", 6))
    assert "d.clear_updaters(True)" in got.code


def test_a_wait_inside_play_runs_after_it():
    code = scene("self.play(Create(Circle()), self.wait(1))")
    got = first(code, error("TypeError", "Unexpected argument None passed to Scene.play().", 5))
    assert "self.play(Create(Circle()))\n        self.wait(1)\n" in got.code


def test_images_go_into_group_and_fade_in():
    code = scene("img = ImageMobject(np.zeros((2, 2, 3)))", "g = VGroup(img, Circle())", "self.play(Create(img))")
    got = first(code, error("TypeError", "Only values of type VMobject can be added as submobjects of VGroup, but ...", 6))
    assert "g = Group(img, Circle())" in got.code
    got = first(code, error("TypeError", "Create only works for VMobjects.", 7))
    assert "self.play(FadeIn(img))" in got.code


def test_a_missing_class_gets_a_labelled_stand_in_and_a_missing_colour_a_colour():
    code = scene("h = Histogram([1, 2, 3])", "self.play(Create(h))")
    got = first(code, error("NameError", "name 'Histogram' is not defined", 5))
    assert "class Histogram(VGroup):" in got.code and 'Text("Histogram"' in got.code
    code = scene("self.play(Create(Circle(color=X_COLOR)))")
    got = first(code, error("NameError", "name 'X_COLOR' is not defined", 5))
    assert "X_COLOR = " in got.code


def test_no_rule_for_a_plain_undefined_variable_but_a_case_slip():
    code = scene("self.play(Create(squares))")
    assert list(propose(code, error("NameError", "name 'squares' is not defined", 5))) == []



# Shapes found by measuring the mechanism on the f8_ scenes of tests/data/realworld/ (issue 19's new corpus).
def test_a_constructor_given_too_many_arguments_is_cut_too():
    """A constructor's count includes self, as a method's does: `Square(2, BLUE, 0.5)` keeps its size."""
    code = scene("sq = Square(2, BLUE, 0.5)", "self.play(Create(sq))")
    got = first(code, error("TypeError", "Square.__init__() takes from 1 to 2 positional arguments but 4 were "
                                         "given (current signature: Square(side_length=2.0, **kwargs))", 5))
    assert "sq = Square(2)" in got.code and "BLUE, 0.5" in got.fix.what


def test_any_value_that_is_not_an_animation_leaves_play():
    """`self.add(…)` inside play returns the scene, and Manim names it (not None)."""
    code = scene("self.play(FadeIn(Dot()), self.add(Square()), run_time=0.5)")
    got = first(code, error("TypeError", "Unexpected argument Fourier passed to Scene.play().", 5))
    assert "self.play(FadeIn(Dot()), run_time=0.5)\n        self.add(Square())\n" in got.code


def test_nones_spread_into_play_are_left_out_and_an_empty_play_is_skipped():
    code = scene("dots = [Dot(), Dot()]",
                 "self.play(*[d.animate.shift(UP) if i else None for i, d in enumerate(dots)], run_time=0.5)",
                 "self.play(*[d.set_color(RED) and None for d in dots])")
    played = []
    scope = {"Dot": lambda: type("D", (), {"animate": type("A", (), {"shift": lambda s, v: "anim"})(),
                                           "set_color": lambda s, c: played.append(c)})(),
             "UP": 1, "RED": "red", "self": type("S", (), {"play": lambda s, *a, **k: played.append(a)})()}
    got = first(code, error("TypeError", "Unexpected argument None passed to Scene.play().", 6))
    got = first(got.code, error("TypeError", "Unexpected argument None passed to Scene.play().", 9))
    body = ast.parse(got.code).body[-1].body[0].body  # construct's statements, run with stand-ins
    exec(compile(ast.Module(body=body, type_ignores=[]), "scene", "exec"), scope)
    assert played == [("anim",), "red", "red"]  # the Nones dropped; the all-None play skipped, its effects kept


def test_write_of_a_group_with_an_image_fades_it_in():
    code = scene("g = Group(Circle(), ImageMobject(np.zeros((2, 2, 3))))", "self.play(Write(g))")
    got = first(code, error("TypeError", "Write only works for vectorized Mobjects", 6))
    assert "self.play(FadeIn(g))" in got.code


def test_a_missing_animation_gets_a_stand_in_that_plays():
    code = scene("self.play(LaggedStart(*[GrowFromBottom(b) for b in [Square()]]))")
    got = first(code, error("NameError", "name 'GrowFromBottom' is not defined", 5))
    assert "class GrowFromBottom(FadeIn):" in got.code


# Round two (issue 19): the shapes the first mechanism left partial.
def all_of(code: str, err: CodeError) -> list:
    return list(propose(code, err))


def test_a_missing_method_becomes_the_real_name_it_extends_when_the_call_fits_it():
    """plot_line(f) is neither near plot_line_graph's signature (x and y lists) nor a name difflib finds for
    get_area_under_graph: the real names the missing one extends are candidates, filtered by the call."""
    code = scene("ax = Axes()", "g = ax.plot_line(lambda t: 2 * t, color=YELLOW)", "self.play(Create(g))")
    hinted = "Axes object has no attribute 'plot_line' (Axes has no plot_line; it has plot_line_graph, plot)"
    got = all_of(code, error("AttributeError", hinted, 6))
    assert "g = ax.plot(lambda t: 2 * t, color=YELLOW)" in got[0].code
    assert not any("plot_line_graph(" in r.code for r in got)  # its signature cannot take that call
    code = scene("ax = Axes()", "g = ax.plot(lambda x: x)", "a = ax.get_area_under_graph(g, x_range=[1, 4], opacity=0.5)")
    got = first(code, error("AttributeError", "Axes object has no attribute 'get_area_under_graph'", 7))
    assert "a = ax.get_area(g, x_range=[1, 4], opacity=0.5)" in got.code


def test_add_x_adds_what_get_x_makes_and_getters_meet_attributes():
    code = scene("ax = Axes()", "ax.add_axis_labels('t', 'x')")
    got = first(code, error("AttributeError", "Axes object has no attribute 'add_axis_labels'", 6))
    assert "ax.add(ax.get_axis_labels('t', 'x'))" in got.code
    code = scene("c = Circle()", "r = c.get_radius_value()", "n = c.stroke_color_value")
    got = all_of(code, error("AttributeError", "Circle object has no attribute 'get_radius_value'", 6))
    assert not got  # no real name is near: an assignment stays, the error is the person's
    code = scene("ax = Axes()", "r = ax.x_axis_label")
    got = all_of(code, error("AttributeError", "Axes object has no attribute 'x_axis_label'", 6))
    assert any("r = ax.get_x_axis_label()" in r.code for r in got)


def test_a_parametric_object_is_evaluated_by_its_own_function():
    code = scene("s = Surface(lambda u, v: np.array([u, v, u * v]))", "d = Dot3D(s.u2p(0, 0))")
    got = first(code, error("AttributeError", "Surface object has no attribute 'u2p'", 6))
    assert "d = Dot3D(s.func(0, 0))" in got.code


def test_a_decorating_call_missing_its_argument_is_left_out():
    code = scene("d = Dot()", "d.remove_updater()", "self.play(Create(d))")
    got = first(code, error("TypeError", "Mobject.remove_updater() missing 1 required positional argument: "
                                         "'update_function'", 6))
    assert "pass  # left out: d.remove_updater()" in got.code and "self.play(Create(d))" in got.code


def test_colours_given_as_two_or_six_numbers_become_colours():
    refused = "ManimColor only accepts int, str, list[int, int, int], not <class 'float'>"
    code = scene("cols = [[0.2, 0.4, 0.6, 0.8, 0.1, 0.3]]", "c = Circle().set_color(cols[0])", "d = Dot(color=(1, 0.5))")
    got = first(code, error("TypeError", refused, 6))
    assert "cols = [[ManimColor([0.2, 0.4, 0.6]), ManimColor([0.8, 0.1, 0.3])]]" in got.code
    assert "(1, 0.5)" in got.code  # only what the failing line uses
    got = first(got.code, error("TypeError", refused, 7))
    assert "d = Dot(color=ManimColor([1, 1, 1]))" in got.code
    code = scene("g = VGroup(Square(), Circle())", "g.set_color([0.9, 0.2, 0.1])")  # a list is several colours
    assert "g.set_color(ManimColor([0.9, 0.2, 0.1]))" in first(code, error("TypeError", refused, 6)).code


def test_two_d_points_get_a_zero_z_where_they_are_made():
    code = scene("ax = Axes(x_range=[0, 5], y_range=[0, 3])", "pts = [(0, 0), (1, 0), (x, 1)]",
                 "t = Polygon(*pts, color=BLUE)", "d = Dot([1, 2]).move_to(np.array([2, 1]))")
    got = first(code, error("ValueError", "could not broadcast input array from shape (1,2) into shape (1,3)", 7))
    assert "pts = [(0, 0, 0), (1, 0, 0), (x, 1, 0)]" in got.code and "x_range=[0, 5]" in got.code
    assert "Dot([1, 2])" in got.code  # another line: its own error, its own repair
    got = first(code, error("ValueError", "operands could not be broadcast together with shapes (2,) (3,) ", 8))
    assert "d = Dot([1, 2, 0]).move_to(np.array([2, 1, 0]))" in got.code


def test_the_method_behind_mobjects_generic_getter_is_named_and_repaired(validate_in_sandbox):
    """Mobject answers an unknown get_x with a getter of x: the scene failed with "getter() got an unexpected
    keyword argument" or "no attribute 'x'", naming neither the method nor the object."""
    code = scene("ax = Axes(x_range=[0, 5], y_range=[0, 6])", "g = ax.plot(lambda x: x + 1)",
                 "self.play(Create(ax), Create(g))", "area = ax.get_area_under_graph(g, x_range=[1, 4], opacity=0.5)",
                 "self.play(FadeIn(area))", "img = ImageMobject(np.zeros((4, 4, 3), dtype=np.uint8))",
                 "m = img.get_mean_brightness()")
    failed = validate_in_sandbox(code)
    assert failed.errors[0].kind == "AttributeError" and failed.errors[0].line == 8
    assert "Axes object has no attribute 'get_area_under_graph'" in failed.errors[0].message
    out = error_repair.repair(code, failed, validate_in_sandbox)
    assert [f.line for f in out.fixes] == [8] and out.validation.animations == 2
    left = out.validation.errors[0]
    assert left.line == 11 and "ImageMobject object has no attribute 'get_mean_brightness'" in left.message


def test_a_scenes_own_class_is_read_live_for_the_name_it_has(validate_in_sandbox):
    """The parent knows Manim's classes only; the runner reads the failing object itself (a scene's own
    VGroup with an attribute set in __init__), and the repair uses what it names."""
    code = HEAD.replace("class S(Scene)", "class Pendulum(VGroup):\n    def __init__(self):\n"
                        "        super().__init__(Line(UP, DOWN), Dot(DOWN))\n        self.bob_position = DOWN\n\n\n"
                        "class S(Scene)") + "        p = Pendulum()\n        self.play(FadeIn(Dot(p.bob_positon)))\n"
    failed = validate_in_sandbox(code)
    assert "(Pendulum has no bob_positon; it has bob_position)" in failed.errors[0].message
    out = error_repair.repair(code, failed, validate_in_sandbox)
    assert out.validation.ok and "Dot(p.bob_position)" in out.code and out.fixes[0].line == 12


def test_an_updater_reading_dt_gets_the_parameter():
    code = scene("d = Dot()", "d.add_updater(lambda m: m.rotate(0.5 * dt))",
                 "def follow(mob):", "    mob.shift(RIGHT * dt)", "d.add_updater(follow)")
    got = first(code, error("NameError", "name 'dt' is not defined", 6))
    assert "d.add_updater(lambda m, dt: m.rotate(0.5 * dt))" in got.code and "def follow(mob):" in got.code
    got = first(code, error("NameError", "name 'dt' is not defined", 8))
    assert "def follow(mob, dt):" in got.code


def test_another_manims_camera_calls_turn_the_three_d_scenes_camera():
    """Left out, the scene rendered from the default angle; the angles are read by set_camera_orientation's names."""
    code = scene("self.camera.frame.set_euler_angles(theta=30 * DEGREES, phi=70 * DEGREES)",
                 "self.play(self.camera.frame.animate.increment_theta(90 * DEGREES), run_time=3)",
                 "self.play(self.camera.animate.set_phi(45 * DEGREES))", base="ThreeDScene")
    got = first(code, error("AttributeError", "'ThreeDCamera' object has no attribute 'frame'", 5))
    assert "self.set_camera_orientation(theta=30 * DEGREES, phi=70 * DEGREES)" in got.code
    got = first(code, error("AttributeError", "'ThreeDCamera' object has no attribute 'frame'", 6))
    assert "self.move_camera(theta=self.camera.get_theta() + 90 * DEGREES, run_time=3)" in got.code
    got = first(code, error("AttributeError", "'ThreeDCamera' object has no attribute 'animate'", 7))
    assert "self.move_camera(phi=45 * DEGREES)" in got.code
    flat = code.replace("(ThreeDScene)", "(Scene)")  # a 2-D scene has no such camera: left out, as before
    assert "pass  # left out" in first(flat, error("AttributeError", "'Camera' object has no attribute 'frame'", 5)).code


def test_an_unknown_option_in_a_config_dict_is_renamed_or_dropped():
    """The keyword reaches Manim through a dict (`axis_config`, `background_line_style`), so no call on the line
    passes it; the error names the class that refused it (Mobject, VMobject.set_style)."""
    code = scene('ax = Axes(x_range=[0, 5], axis_config={"include_numbers": True, "label_size": 20})')
    got = first(code, error("TypeError", "Mobject.__init__() got an unexpected keyword argument 'label_size'", 5))
    assert 'ax = Axes(x_range=[0, 5], axis_config={"include_numbers": True})' in got.code
    code = scene("p = NumberPlane(", '    background_line_style={"stroke_colour": BLUE, "stroke_width": 1},', ")")  # line 5
    got = first(code, error("TypeError", "VMobject.set_style() got an unexpected keyword argument 'stroke_colour'", 5))
    assert """background_line_style={'stroke_color': BLUE, "stroke_width": 1}""" in got.code


def test_lines_a_repair_inserts_are_not_progress():
    """A stand-in inserted above the scene shifts the same error down; that is not getting further."""
    from text_to_manim.scene.validate import ValidateOutcome

    code = scene("self.play(Create(Square()))", "self.play(Grow(Square()))")
    repaired = code.replace("class S", "class Grow(VGroup):\n    pass\n\n\nclass S")
    before = ValidateOutcome(False, [error("NameError", "name 'Grow' is not defined", 6)], animations=1)
    after = ValidateOutcome(False, [error("TypeError", "Object VGroup cannot be converted to an animation", 10)],
                            animations=1)
    assert not error_repair.further(after, before, code, repaired)
    later = ValidateOutcome(False, [error("TypeError", "x", 11)], animations=1)
    assert error_repair.further(later, before, code, repaired + "        self.play(Grow())\n")

@pytest.fixture
def validate_in_sandbox(settings, tmp_path):
    def run(code: str):
        job = jobs.new_job(tmp_path / "jobs")
        for event in validate(code, job, settings=settings):
            if isinstance(event, Finished):
                return event.result
    return run


def test_repairs_chain_until_the_scene_validates(validate_in_sandbox):
    """Two errors, one after the other: each repair is validated and kept because the scene got further."""
    code = scene("self.play(Create(Sphere(resolution=(4, 4))))",
                 "self.camera.frame.set_euler_angles(theta=30*DEGREES)",
                 "self.play(FadeIn(Dot(color=X_COLOR)))", base="ThreeDScene")
    failed = validate_in_sandbox(code)
    assert not failed.ok and failed.errors[0].line == 6
    out = error_repair.repair(code, failed, validate_in_sandbox)
    assert out.validation.ok and out.validation.animations == 2
    assert [f.line for f in out.fixes] == [6, 2] and out.tried == 2  # the colour is defined below the imports



def test_a_repair_of_the_same_size_is_what_the_next_run_executes(tmp_path):
    """The loop validates each repair in the same job folder. Create -> FadeIn keeps the file's size, and
    within the same second Python's bytecode cache (a .pyc in the job folder) ran the code from before the
    repair: on the new corpus the repair was judged no better and undone."""
    import os
    import py_compile
    from importlib.util import cache_from_source

    from text_to_manim.sandbox.runner.scene_run import load_scene_class

    path = tmp_path / "scene.py"
    path.write_text(HEAD.replace("    def construct(self):\n", "    ANIMATION = 'Create'\n"), encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    py_compile.compile(str(path), cfile=cache_from_source(str(path)), doraise=True)  # what an earlier run left
    path.write_text(path.read_text(encoding="utf-8").replace("Create", "FadeIn"), encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))  # the same size and the same second
    assert load_scene_class(str(path), "S").ANIMATION == "FadeIn"


def test_a_rename_that_gets_no_further_is_undone_and_the_real_cause_is_kept(validate_in_sandbox):
    """`circle` is never assigned: making it the class `Circle` fails later in Manim with a misleading error."""
    code = scene("c = Circle()", "self.play(Create(circle))")
    failed = validate_in_sandbox(code)
    out = error_repair.repair(code, failed, validate_in_sandbox)
    assert out.tried == 1 and out.fixes == [] and out.code == code
    assert out.validation.errors[0].kind == "NameError" and "'circle'" in out.validation.errors[0].message
    assert out.validation.errors[0].line == 6


def test_the_static_fixes_leave_a_lowercase_name_to_the_error():
    """sanitize used to make `circle` the class `Circle` before anything ran (issue 19's example)."""
    from text_to_manim.fixes.sanitize import sanitize

    code = scene("c = Circle()", "self.play(Create(circle))")
    fixed, fixes = sanitize(code)
    assert "Create(circle)" in fixed and not any("Circle" in f.what for f in fixes)
    fixed, _ = sanitize(scene("self.play(Write(MathTeX('x')))"))
    assert "MathTex('x')" in fixed  # a case slip of a class name is still fixed at once


PY312 = '''from manim import *

class Stats(Scene):
    def construct(self):
        data = {"mean": 2.5, "label": "x"}
        lines = ["first", "second"]
        title = Text(f"Mean of {data["label"]}: {data["mean"]:.1f}")
        body = Text(f"{"\\n".join(lines)}")
        self.play(Write(title))
        self.play(FadeIn(body.next_to(title, DOWN)))
'''


def test_python_312_f_strings_are_rewritten_for_the_interpreter_that_runs_scenes():
    from text_to_manim.fixes.sanitize import sanitize

    with pytest.raises(SyntaxError):
        ast.parse(PY312)
    fixed, fixes = sanitize(PY312)
    assert [f.line for f in fixes if "3.12" in f.what] == [7, 8]
    texts = [n.args[0] for n in ast.walk(ast.parse(fixed))
             if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Text"]
    scope = {"data": {"mean": 2.5, "label": "x"}, "lines": ["first", "second"]}
    assert [eval(compile(ast.Expression(t), "scene", "eval"), scope) for t in texts] == ["Mean of x: 2.5", "first\nsecond"]


def test_a_line_break_with_no_line_to_end_compiles_after_the_fixes(validate_in_sandbox):
    """Issue 19's LaTeX shape: `\\\\` first in a text, or twice in a row, is a LaTeX error in text mode."""
    from text_to_manim.fixes.sanitize import sanitize

    code = scene(r't = Tex(r"\\ Leading break, then text \\ \\ and an empty line")', "self.play(Write(t))")
    assert "There's no line here to end" in validate_in_sandbox(code).errors[0].message
    fixed, fixes = sanitize(code)
    assert any("no line to end" in f.what for f in fixes)
    assert validate_in_sandbox(fixed).ok


@pytest.mark.slow
def test_a_scene_that_sets_its_own_resolution_renders_at_the_quality_asked_for(tmp_path):
    """Issue 19: `config.pixel_height = 1080` inside the file crashed the encoder under -ql's memory limit."""
    import json

    from tests.conftest import run_cli
    from tests.video import probe

    path = tmp_path / "hd.py"
    path.write_text("from manim import *\nconfig.pixel_height = 1080\nconfig.pixel_width = 1920\n"
                    "config['frame_rate'] = 60\n\nclass Hd(Scene):\n    def construct(self):\n"
                    "        config.renderer = 'opengl'\n        self.play(Create(Circle()), run_time=0.5)\n")
    proc = run_cli("render", str(path), "--fix", "-q", "l", "--json", "--out", str(tmp_path / "out"))
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["ok"], proc.stdout[-2000:]
    assert sum("left to the app" in f["what"] for f in result["fixes"]) == 4
    video = probe(result["video"])
    assert (video.width, video.height) == (854, 480)


@pytest.mark.slow
def test_the_pipeline_repairs_from_the_error_and_reports_each_fix(tmp_path):
    """Code given with the fixes on: two run-time errors repaired without a model, the video rendered,
    and the CLI's top-level `fixes` names both (issue 19: it was empty although a fix shaped the code)."""
    import json

    from tests.conftest import run_cli
    from tests.video import probe

    path = tmp_path / "cam.py"
    path.write_text(scene("self.play(Create(Sphere(resolution=(4, 4))), run_time=0.5)",
                          "self.camera.frame.set_euler_angles(theta=30*DEGREES)",
                          "self.play(FadeIn(Dot(color=X_COLOR)), run_time=0.5)", base="ThreeDScene"))
    proc = run_cli("render", str(path), "--fix", "--json", "--out", str(tmp_path / "out"))
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["ok"], proc.stdout[-3000:]
    whats = [f["what"] for f in result["fixes"]]
    assert any("set_camera_orientation(theta=…)" in w for w in whats) and any("X_COLOR" in w for w in whats)
    assert probe(result["video"]).duration == pytest.approx(1.0, abs=0.15)


@pytest.mark.slow
def test_a_scene_that_still_fails_gives_the_video_of_what_came_before(tmp_path):
    """Issue 19's partial videos: animations 1..k-1 rendered, the status says partial, the error stays."""
    import json

    from tests.conftest import run_cli
    from tests.video import probe

    path = tmp_path / "late.py"
    path.write_text(scene("for i in range(3):", "    self.play(FadeIn(Square().shift(i * RIGHT)), run_time=0.5)",
                          "values = [1, 2]", "self.play(FadeIn(Text(str(values[5]))))"))
    proc = run_cli("render", str(path), "--fix", "--json", "--out", str(tmp_path / "out"))
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 1 and not result["ok"] and result["status"] == "partial"
    partial = result["partial"]
    assert (partial["animations"], partial["failed_at"], partial["line"]) == (3, 4, 8)
    assert "list index out of range" in partial["error"] and result["errors"][0]["line"] == 8
    assert probe(result["video"]).duration == pytest.approx(1.5, abs=0.15)


def test_a_run_that_crashes_says_which_animation_and_line_it_had_reached(validate_in_sandbox):
    """Issue 19: a render that died (SIGSEGV, no Python error) said only "the render process died". A C-level
    stack overflow after two animations must name them and the scene line on the stack."""
    code = "import sys\n" + scene("self.play(FadeIn(Dot()))", "self.wait(0.5)", "sys.setrecursionlimit(10 ** 7)",
                                  "f = lambda n: list(map(f, [n + 1]))", "f(0)")
    failed = validate_in_sandbox(code)
    crash = failed.errors[0]
    assert crash.kind == "Crashed" and "SIGSEGV" in crash.message, crash.message
    assert "after animation 2 (played from line 7), running line 9 of the scene" in crash.message
    assert crash.line == 9
