"""The shared formula cache and its trusted TeX step, with real LaTeX, real dvisvgm, real sandboxes.

What a person relies on: formulas compiled once serve every later job; no scene can write into the
shared cache or hand its own SVGs to another job; a batch compile draws exactly what Manim draws; and
several formula-heavy renders at once never trip over each other's TeX files (issue 12.3).
"""
from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import numpy as np
import pytest

from text_to_manim import jobs
from text_to_manim.events import Finished
from text_to_manim.pipeline import answers
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.pipeline.state import JobState
from text_to_manim.sandbox import targets, workers
from text_to_manim.sandbox import walls as sandbox
from text_to_manim.sandbox.runner.tex import inert_tex
from text_to_manim.scene import validate
from text_to_manim.tex import formula_cache

NEEDS_BWRAP = pytest.mark.skipif(sandbox.bwrap_path() is None, reason="bubblewrap cannot create namespaces here")

FORMULAS = [r"\int_0^1 x^2\,dx = \frac{1}{3}", r"e^{i\pi} + 1 = 0", r"\sum_{n=1}^{\infty} \frac{1}{n^2} = \frac{\pi^2}{6}",
            r"\nabla \cdot \vec{E} = \frac{\rho}{\varepsilon_0}", r"\left( \frac{a}{b} \right)^2"]


def scene_with(formulas, wait=0.5, runtime=""):
    body = "".join(f"        self.add(MathTex(r\"{f}\").shift(UP * {i % 3}))\n" for i, f in enumerate(formulas))
    extra = f"        self.add(MathTex(f\"x^{{{{{runtime}}}}}\"))\n" if runtime else ""
    return f"from manim import *\n\nclass F(Scene):\n    def construct(self):\n{body}{extra}        self.wait({wait})\n"


def run_job(code, settings):
    return [ev.result for ev in pipeline.run(pipeline.Request(code=code, settings=settings, sanitize=False))
            if isinstance(ev, Finished)][0]


# -- what the trusted step is given ---------------------------------------------------------------------

def test_literal_formulas_are_found_and_computed_ones_left_to_the_scene():
    code = '''
from manim import *
steps = [r"a^2", r"b^2"]
name = r"E = mc^2"
class S(Scene):
    def construct(self):
        MathTex(r"\\frac{1}{2}", color=BLUE)
        MathTex(name)
        Tex("Hello", tex_environment="center")
        for i, s in enumerate(steps):
            MathTex(s)
        MathTex(f"x^{self.n}")
        MathTex(r"y", tex_template=TexTemplateLibrary.ctex)
        ax = Axes()
        ax.get_axis_labels(y_label="f(x)")
'''
    found = [(it["cls"], it["args"], it["kwargs"]) for it in formula_cache.collect(code)]
    assert ("MathTex", [r"\frac{1}{2}"], {}) in found and ("MathTex", ["E = mc^2"], {}) in found
    assert ("Tex", ["Hello"], {"tex_environment": "center"}) in found
    assert ("MathTex", ["a^2"], {}) in found and ("MathTex", ["b^2"], {}) in found
    assert ("MathTex", ["x"], {}) in found and ("MathTex", ["f(x)"], {}) in found  # axis labels
    assert not any(args == ["y"] or "self.n" in args[0] for _, args, _ in found)  # custom template, f-string
    assert formula_cache.collect("this is not python (") == []


@pytest.mark.parametrize("tex,inert", [
    (r"\frac{a}{b} + \sqrt{2}", True), (r"\left( x \right) \cdot \text{area}", True),
    (r"\gdef\pi{3} \pi", False), (r"^^5cgdef", False), (r"x $ y", False), (r"{x", False), (r"x}", False),
    (r"\input{secret}", False), (r"a % comment", False), (r"\left( x", False), (r"\catcode`\a=13", False),
    ("x\ry", False), (r"\right) x \left(", False), (r"\special {dvisvgm:raw <g>}", False),
    (r"\special{dvisvgm:raw <g id='unique001'>}x\special{dvisvgm:raw </g>}", True)])
def test_only_inert_formulas_share_a_latex_run(tex, inert):
    assert inert_tex(tex) is inert


# -- issue 16.2: one page of a shared latex run must not change another ----------------------------------

POISON = r"\global\let\pi\infty\global\def\sum{\text{HACKED}} "
VICTIMS = [r"A = \pi r^2", r"\sum_{n=1}^{3} n = 6"]


def points(svg: Path) -> np.ndarray:
    from manim import SVGMobject
    return np.concatenate([m.points for m in SVGMobject(str(svg)).family_members_with_points()])


def assert_drawn_as_alone(shared: Path, formula: str, tmp_path: Path) -> None:
    """The shared cache's SVG for MathTex(formula) is what Manim draws compiling that formula alone."""
    from manim import MathTex, tempconfig

    with tempconfig({"tex_dir": str(tmp_path / "alone")}):
        alone = Path(MathTex(formula).file_name)
    cached = shared / alone.name
    assert cached.is_file(), formula
    a, b = points(alone), points(cached)
    assert a.shape == b.shape and np.abs(a - b).max() == 0, f"{formula!r} is drawn differently from the shared cache"


def test_the_whole_page_is_checked_not_selected_parameters():
    from manim import config

    from text_to_manim.sandbox.runner.tex import _tex_documents, batchable, tex_source

    preamble = tex_source(config["tex_template"], "", "align*").partition(r"\begin{document}")[0]
    items = [{"cls": "MathTex", "args": ["x", "y"], "kwargs": {}}, {"cls": "Tex", "args": ["Hello"], "kwargs": {}},
             {"cls": "MathTex", "args": ["x", "y"], "kwargs": {"arg_separator": POISON}},
             {"cls": "MathTex", "args": ["x"], "kwargs": {"tex_environment": "align*}" + POISON.strip()}},
             {"cls": "MathTex", "args": ["x"], "kwargs": {"substrings_to_isolate": [r"\gdef"]}}]
    assert [batchable(doc[0], preamble) for doc in _tex_documents(items)] == [True, True, False, False, True]


@pytest.mark.parametrize("kwargs", [{"arg_separator": POISON},
                                    {"tex_environment": "align*}" + POISON.strip()}],
                         ids=["arg_separator", "tex_environment"])
def test_a_formula_of_one_job_never_changes_another_jobs_formula(settings, tmp_path, kwargs):
    """Issue 16.2: the attacker's formula comes first in the trusted step's batch; every later page
    (the next visitor's formulas) must still be drawn exactly as its own source compiles alone."""
    attack = {"cls": "MathTex", "args": ["x", "y"], "kwargs": kwargs}
    victims = [formula_cache.formula_item(f) for f in VICTIMS]
    formula_cache.compile_items([attack, *victims], settings)
    for formula in VICTIMS:
        assert_drawn_as_alone(formula_cache.shared_dir(settings), formula, tmp_path)


def test_a_flood_of_formulas_never_evicts_the_ones_visitors_use(settings, tmp_path, monkeypatch):
    """Issue 16.2: a scene with many literal formulas fills the cache to its bound; the formulas earlier
    visitors compiled and later ones found cached stay, still drawn as alone, and one job adds at most
    MAX_NEW_PER_JOB."""
    monkeypatch.setattr(formula_cache, "MAX_FILES", len(formula_cache.SEED) + 30)
    monkeypatch.setattr(formula_cache, "MAX_NEW_PER_JOB", 20)
    victims = [formula_cache.formula_item(f) for f in VICTIMS]
    formula_cache.compile_items(victims, settings)  # a visitor's job
    assert formula_cache.compile_items(victims, settings).cached == len(VICTIMS)  # the next one finds them
    shared = formula_cache.shared_dir(settings)
    for wave in range(3):  # the flood, in three jobs
        flood = [formula_cache.formula_item(f"x_{{{wave}}}^{{{i}}}") for i in range(40)]
        assert formula_cache.compile_items(flood, settings).compiled <= 20
        assert len(list(shared.glob("*.svg"))) <= formula_cache.MAX_FILES
    assert formula_cache.compile_items(victims, settings).cached == len(VICTIMS)
    for formula in VICTIMS:
        assert_drawn_as_alone(shared, formula, tmp_path)


def test_background_formulas_go_one_trusted_step_at_a_time_within_bounds(settings, monkeypatch):
    """Issue 16.8: run-time formulas of many jobs (failed validations too) reach the shared cache through
    one queue: one trusted step at a time, at most MAX_ADOPTED formulas a job, and requests beyond the
    queue's bound are dropped rather than piling up threads and TeX runs."""
    from manim import config

    running, most = [0], [0]
    real_step = formula_cache._tex_step

    def counted(*args, **kwargs):  # the real step, counting how many run at once
        running[0] += 1
        most[0] = max(most[0], running[0])
        try:
            return real_step(*args, **kwargs)
        finally:
            running[0] -= 1

    monkeypatch.setattr(formula_cache, "_tex_step", counted)
    template = config["tex_template"]
    jobs_sources = [[template.get_texcode_for_expression_in_env(f"y_{{{job}}}^{{{i}}}", "align*") for i in range(100)]
                    for job in range(6)]
    queue = formula_cache.Background(pending=2)
    threads_before = threading.active_count()
    accepted = [queue.submit(settings, sources=sources) for sources in jobs_sources]  # six jobs end at once
    assert threading.active_count() <= threads_before + 1
    queue.wait()
    assert 2 <= sum(accepted) <= 3 and accepted[:2] == [True, True], accepted
    assert most[0] == 1
    cached = len(list(formula_cache.shared_dir(settings).glob("*.svg")))
    assert cached <= sum(accepted) * formula_cache.MAX_ADOPTED < sum(accepted) * 100


def test_entries_of_an_older_trusted_step_are_never_read(tmp_path, monkeypatch):
    """A cache folder is per trusted step (its source in the version key): entries a step made before a
    fix (possibly poisoned pages of a shared run) are not read by the fixed one."""
    before = formula_cache.version_key()
    changed = tmp_path / "tex.py"
    from text_to_manim.sandbox import shared_tex

    changed.write_text(Path(shared_tex.runner_tex.__file__).read_text() + "\n# a fix\n")
    monkeypatch.setattr(shared_tex.runner_tex, "__file__", str(changed))
    formula_cache.version_key.cache_clear()
    try:
        assert formula_cache.version_key() != before
    finally:
        monkeypatch.undo()
        formula_cache.version_key.cache_clear()
    assert formula_cache.version_key() == before


DELIMITER_COMMANDS = {"big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr"}
CANARY = r"A = \pi r^2 + \sum_{n} \int_0^1 \frac{a}{b} \mathbb{R} \text{ok} \sqrt{x} \left( y \right) \alpha \cdot \to"


@pytest.mark.slow
def test_no_allow_listed_command_changes_the_page_after_it(tmp_path):
    """The proof behind the allow-list, command by command: one shared latex run where a page using each
    allow-listed command comes before a canary page; every canary is drawn exactly as the canary alone."""
    from manim import config
    from manim.utils.tex_file_writing import tex_hash

    from text_to_manim.sandbox.runner import tex

    def use(cmd: str) -> str:
        if cmd in ("left", "right", "middle"):
            return r"\left( x \middle| y \right)"
        return f"\\{cmd}( x" if cmd in DELIMITER_COMMANDS else f"{{\\{cmd}{{a}}{{b}}}}"

    template = config["tex_template"]
    preamble = tex.tex_source(template, "", "align*").partition(r"\begin{document}")[0]
    canary = tex.tex_source(template, CANARY, "align*")
    docs = []
    for cmd in sorted(tex.INERT_COMMANDS):
        source = tex.tex_source(template, use(cmd), "align*")
        assert tex.batchable(source, preamble), cmd
        docs += [(source, tex_hash(source)), (canary, f"canary-{cmd}")]
    names = tex._compile_batch(docs, tmp_path)
    assert len(names) == len(docs)  # the shared run compiled every page, no error
    alone = points(tex.compile_formula(canary, "alone", template, tmp_path))
    changed = [n for n in names if n.startswith("canary-") and not np.array_equal(points(tmp_path / f"{n}.svg"), alone)]
    assert not changed


# -- the cache --------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_batch_compiled_formulas_draw_exactly_what_manim_draws(settings, tmp_path):
    from manim import MathTex, SVGMobject, tempconfig

    stats = formula_cache.precompile(scene_with(FORMULAS), settings)
    assert stats.formulas == len(FORMULAS) and stats.compiled >= len(FORMULAS) and not stats.error
    shared = formula_cache.shared_dir(settings)
    with tempconfig({"tex_dir": str(tmp_path / "manim")}):
        for f in FORMULAS:
            alone = Path(MathTex(f).file_name)  # compiled by Manim itself, one document per formula
            batched = shared / alone.name
            assert batched.is_file(), f
            a, b = (np.concatenate([m.points for m in SVGMobject(str(p)).family_members_with_points()])
                    for p in (alone, batched))
            assert a.shape == b.shape and np.abs(a - b).max() == 0, f


@pytest.mark.slow
def test_a_second_job_with_the_same_formulas_compiles_none(settings):
    first = run_job(scene_with(FORMULAS, wait=0.5), settings)
    second = run_job(scene_with(FORMULAS, wait=0.7), settings)  # other code: the result cache does not answer
    assert first.ok and second.ok, (first.errors, second.errors)
    assert first.tex.compiled_for_shared_cache >= len(FORMULAS)
    assert second.tex.compiled_for_shared_cache == 0
    assert second.tex.compiled == 0 and second.tex.shared >= len(FORMULAS)
    assert second.cached_from is None


@pytest.mark.slow
def test_formulas_made_at_run_time_are_adopted_from_their_source(settings):
    code = scene_with(FORMULAS[:1], runtime="2 + 3")
    job = jobs.new_job(settings.jobs_dir)
    formula_cache.precompile(code, settings)
    out = [ev.result for ev in validate.validate(code, job, settings=settings) if isinstance(ev, Finished)][0]
    assert out.ok and out.tex["compiled"] == 1 and len(out.tex_sources) == 1  # x^{2 + 3}: only the scene knew it
    assert formula_cache.adopt(out.tex_sources, settings) == 1
    again = jobs.new_job(settings.jobs_dir)
    out2 = [ev.result for ev in validate.validate(code, again, settings=settings) if isinstance(ev, Finished)][0]
    assert out2.ok and out2.tex["compiled"] == 0 and out2.tex["shared"] == 2


WRITE_INTO_CACHE = '''
import json, os
from manim import *

def attempt(fn):
    try:
        fn()
        return "ok"
    except BaseException as exc:
        return "blocked: " + type(exc).__name__

class Poisoner(Scene):
    def construct(self):
        cache = {cache!r}
        target = os.path.join(cache, {victim!r})
        result = {{
            "new_file": attempt(lambda: open(os.path.join(cache, "evil.svg"), "w").write("<svg/>")),
            "overwrite": attempt(lambda: open(target, "w").write("<svg/>")),
            "delete": attempt(lambda: os.remove(target)),
            "rename": attempt(lambda: os.rename(target, target + ".x")),
        }}
        with open("attempts.json", "w") as fh:
            json.dump(result, fh)
        self.wait(0.1)
'''


@pytest.mark.slow
@NEEDS_BWRAP
@pytest.mark.parametrize("how", ["warm", "cold"])
def test_a_scene_cannot_write_into_the_shared_cache(settings, how):
    formula_cache.precompile(scene_with(FORMULAS[:2]), settings)
    shared = formula_cache.shared_dir(settings)
    victim = sorted(shared.glob("*.svg"))[0]
    before = hashlib.sha256(victim.read_bytes()).hexdigest()
    job = jobs.new_job(settings.jobs_dir)
    job.write_code(WRITE_INTO_CACHE.format(cache=sandbox.SHARED_TEX_IN_SANDBOX, victim=victim.name))
    args = ["validate", "scene.py", "--out", "media/validate"]
    limits = sandbox.Limits(wall_seconds=120)
    try:
        with workers.lease(settings) as worker:
            runs = targets.choose(job.dir, settings, worker if how == "warm" else None)
            assert isinstance(runs, workers.Worker) == (how == "warm")
            runs.sync_in([job.scene_file])
            results = [m for _, m in runs.stream([args], limits, [job.log_file]) if isinstance(m, sandbox.RunResult)]
            assert results[0].returncode == 0, job.log_file.read_text()[-2000:]
            attempts = json.loads((runs.dir / "attempts.json").read_text())
    finally:
        workers.pool_for(settings).close()
    assert all(v.startswith("blocked: OSError") for v in attempts.values()), attempts
    assert hashlib.sha256(victim.read_bytes()).hexdigest() == before and not (shared / "evil.svg").exists()


POISON_PRIVATE = '''
from manim import *
from manim.utils.tex_file_writing import tex_hash
import os

class Poisoner(Scene):
    def construct(self):
        tex = "x^{" + str(40 + 2) + "}"  # made at run time: never in the shared cache beforehand
        source = config.tex_template.get_texcode_for_expression_in_env(tex, "align*")
        folder = config.get_dir("tex_dir")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, tex_hash(source) + ".svg"), "w") as fh:
            fh.write('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0H10V10H0Z"/></svg>')
        self.add(SingleStringMathTex(tex))  # compiles exactly `source` (MathTex adds group marks)
        self.wait(0.1)
'''
HONEST = ("from manim import *\n\nclass Honest(Scene):\n    def construct(self):\n"
          "        self.add(SingleStringMathTex(\"x^{\" + str(40 + 2) + \"}\"))\n        self.wait(0.1)\n")


@pytest.mark.slow
@NEEDS_BWRAP
def test_a_poisoned_private_entry_never_reaches_another_job(settings):
    poisoner = jobs.new_job(settings.jobs_dir)
    poisoner.write_code(POISON_PRIVATE)
    with workers.lease(settings) as w:
        w.sync_in([poisoner.scene_file])
        msgs = [m for _, m in w.stream([["validate", "scene.py", "--out", "media/validate", "--cache", validate.CACHE]],
                                      sandbox.Limits(wall_seconds=120), [poisoner.log_file])]
        done = next(m for m in msgs if isinstance(m, dict) and m.get("event") == "done")
    assert done["tex"] == {"shared": 0, "private": 1, "compiled": 0}  # it got its own poisoned file back
    assert done["tex_sources"] == []  # and suggests nothing to the trusted step (it compiled nothing)
    result = run_job(HONEST, settings)
    assert result.ok, result.errors
    # the same formula in the next job: found neither shared nor in a private cache, compiled afresh
    assert {k: getattr(result.tex, k) for k in ("shared", "private", "compiled")} == {
        "shared": 0, "private": 0, "compiled": 1}


# -- issue 12.3: parallel formula-heavy renders ----------------------------------------------------------

def heavy_scene(k: int) -> str:
    lines = "".join(f"        self.add(MathTex(r\"\\int_0^{{{i}}} x^{{{k}}}\\,dx = "
                    f"\\frac{{{i}^{{{k + 1}}}}}{{{k + 1}}}\"))\n" for i in range(12))
    return f"from manim import *\n\nclass Heavy{k}(Scene):\n    def construct(self):\n{lines}        self.wait(0.1)\n"


@pytest.mark.slow
def test_formula_heavy_scenes_compiling_into_one_folder_at_once_all_succeed(job):
    """Before the fix, Manim deleted every non-SVG file of the TeX folder after each formula, so runs
    sharing the folder deleted each other's .dvi before dvisvgm read it ('Your installation does not
    support converting .dvi files to SVG'). Four runs share one folder here, as two CLI renders sharing
    --out did."""
    results = {}

    def go(k):
        job.write_code(heavy_scene(k), f"s{k}.py")
        results[k] = sandbox.run(job.dir, ["validate", f"s{k}.py", "--out", f"media/o{k}", "--cache", "media/cache"],
                                 sandbox.Limits(wall_seconds=300), log_file=job.dir / f"s{k}.log")

    threads = [threading.Thread(target=go, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k, res in results.items():
        errors = [m["message"] for m in res.messages if m.get("event") == "error"]
        assert res.returncode == 0 and not errors, (k, errors)
        done = next(m for m in res.messages if m.get("event") == "done")
        assert done["tex"]["compiled"] + done["tex"]["private"] == 12


@pytest.mark.slow
def test_parallel_formula_heavy_jobs_through_the_pipeline(settings):
    s = settings.with_(render_concurrency=2)
    results = {}

    def go(k):
        results[k] = run_job(heavy_scene(k), s)

    threads = [threading.Thread(target=go, args=(k,)) for k in range(3)]  # two warm, one cold
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    workers.pool_for(s).close()
    assert all(r.ok for r in results.values()), {k: [e.short() for e in r.errors] for k, r in results.items()}
    assert all(Path(r.video).is_file() for r in results.values())


@pytest.mark.slow
def test_formulas_of_a_prompt_compiled_before_need_no_latex_run(settings):
    prompt = r"explain $\int_0^1 x^2\,dx$ and $\frac{1}{\oops}$"
    first = [ev.result for ev in pipeline.run(pipeline.Request(prompt=prompt, settings=settings))
             if isinstance(ev, Finished)][0]
    formulas = {f["formula"]: f for f in first.formulas}
    assert formulas[r"\int_0^1 x^2\,dx"]["ok"] and not formulas[r"\frac{1}{\oops}"]["ok"]
    assert (first.job_dir / "tex" / "anchor.tex").is_file()  # LaTeX ran for both
    good = r"\int_0^1 x^2\,dx"
    deadline = threading.Event()
    for _ in range(120):  # the good one went to the trusted step in the background
        if formula_cache.known_to_compile([good], settings):
            break
        deadline.wait(0.5)
    second = JobState(pipeline.Request(prompt=r"explain $\int_0^1 x^2\,dx$", settings=settings))
    results = answers.check_formulas(second, [good])
    assert results[0].ok and not (second.job.dir / "tex" / "anchor.tex").exists()  # no LaTeX run at all
    bad = answers.check_formulas(second, [r"\frac{1}{\oops}"])[0]
    assert not bad.ok and "Undefined control sequence" in bad.error  # TeX's own words, as before
