"""Issue 8's yardstick: scenes as language models really write them (tests/data/realworld/), each checked
against what its manifest says the deterministic fixes (no model) must achieve.

Every scene is pasted into the pipeline as code with the fixes on (`Request(code=…, sanitize=True)`) and
run until the render would start: sanitize, policy and validate (the scene graph in the sandbox, last frame
only). `renders` and `renders-partial` scenes must get through validate with about as many animations as
the scene really has; `fails` scenes must stop there with an error that names the reason and the line;
`partial` scenes (issue 19) still fail after the error-driven repair, with the error named, and go on to
render the animations before the failure (a partial video of exactly that many animations).
A sample, one scene per family, then renders fully at -ql and is checked with PyAV.

The selected scenes validate two at a time in the background (the machine has two cores), the longest
first, and each test waits only for its own scene.
"""
from __future__ import annotations

import json
import math
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.video import probe
from text_to_manim import config
from text_to_manim.events import (
    RENDER,
    VALIDATE,
    CodeError,
    Failed,
    Finished,
    Progress,
    ReasoningDelta,
    StageFinished,
    StageStarted,
)
from text_to_manim.pipeline import build
from text_to_manim.pipeline import conductor as pipeline

CORPUS = Path(__file__).resolve().parent / "data" / "realworld"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
PARALLEL = 2
# A fix may merge or drop an animation here and there (e.g. a GraphScene's axes that were animated by
# setup_axes); losing more than this share of the scene's animations is losing the scene.
ANIMATION_TOLERANCE = 0.9
# One scene per family, rendered for real; f3's is a truncated reply, whose complete part must render.
RENDER_SAMPLE = ("ok_bubble_sort_short.py", "f1_fourier_epicycles.py", "f2_curved_arrow_path_arc.py",
                 "f3_cut_mid_string.py", "f4_fadein_direction_positional.py", "f5_missing_math_import.py",
                 "f6_percent_unescaped.py", "f7_image_cat_classifier.py", "f8_none_helper_returns_none_graph.py")
FAILING_SAMPLE = "br_zero_division_slope_field.py"
PARTIAL_SAMPLE = "f9_partial_zero_division_harmonic.py"
# The render stage's opening words when only the animations before a failure are rendered (build.PARTIAL).
PARTIAL_RENDER = re.compile(re.escape(build.PARTIAL.split("{played_next}")[0]) + r"\d+: a partial video of the (\d+) ")
TRUNCATION_NOTICE = re.compile(r"trunc|cut off|incomplete|unfinished|recover", re.I)
# What the user sees when something was changed (sanitize's "N fix(es): …", a run-time shim's note …).
CHANGE_NOTICE = re.compile(r"\bfix|shim|replac|renam|rewr|placeholder|added|inserted|removed|dropped|extract|recover"
                           r"|convert|escap|import", re.I)
NOTHING_FIXED = re.compile(r"\b0 fix\(es\)")


def case_id(name: str) -> str:
    """f2_axes_x_min_kwargs.py -> f2-axes_x_min_kwargs (the family leads the test id)."""
    family, _, rest = Path(name).stem.partition("_")
    return f"{family}-{rest}"


def settings_in(root: Path) -> config.Settings:
    return config.load(media_dir=root / "media", db_path=root / "media" / "history.sqlite3", provider="offline",
                       api_key="", quality="l", format="mp4")


@dataclass
class Checked:
    """What the pipeline showed for one scene up to the start of its render."""

    validated: bool = False  # reached the render stage: sanitize, policy and validate all passed
    animations: int = 0
    partial: int | None = None  # animations in the partial video, when only those before a failure render
    failures: list = field(default_factory=list)  # list[CodeError]
    said: list = field(default_factory=list)  # every detail and message the user was shown

    def failure_text(self) -> str:
        return "\n".join(e.short() for e in self.failures) or "(no failure reported)"


def check_until_render(code: str, scene: str | None, root: Path) -> Checked:
    """Run the pipeline on pasted code with the fixes on, and stop where the render would begin."""
    out = Checked()
    # No early render: the check stops where the render would begin, so one started beside validation is waste.
    settings = settings_in(root).with_(early_render=False)
    events = pipeline.run(pipeline.Request(code=code, scene=scene, sanitize=True, settings=settings))
    try:
        for ev in events:
            if isinstance(ev, StageStarted) and ev.stage == RENDER:
                partial = PARTIAL_RENDER.match(ev.detail or "")
                out.validated = partial is None
                out.partial = int(partial.group(1)) if partial else None
                break
            if isinstance(ev, Failed):
                out.failures.append(ev.error or CodeError(ev.stage, ev.message, ev.line))
                out.said.append(ev.message)
            elif isinstance(ev, Progress) and ev.stage == VALIDATE:
                out.animations = max(out.animations, ev.done)
            elif isinstance(ev, StageFinished):
                out.said.append(ev.detail)
                m = re.search(r"(\d+) animation", ev.detail) if ev.stage == VALIDATE else None
                if m:
                    out.animations = max(out.animations, int(m.group(1)))
            elif isinstance(ev, ReasoningDelta):
                out.said.append(ev.text)
            elif isinstance(ev, Finished):
                break
    finally:
        events.close()  # before the render: the job is recorded as cancelled, no render process starts
    return out


@pytest.fixture(scope="module")
def checked(request, tmp_path_factory) -> dict[str, Future]:
    """Start validating every selected scene in the background, in the order the tests will ask."""
    names = [item.callspec.params["name"] for item in request.session.items
             if item.originalname == "test_realworld" and hasattr(item, "callspec")]
    root = tmp_path_factory.mktemp("realworld")
    pool = ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="realworld")
    futures: dict[str, Future] = {}

    # One media folder for all (each job has its own folder in it): one warm worker pool and one formula
    # cache serve every scene; a folder per scene made a pool per scene, and halved the pace.
    def one(name: str) -> Checked:
        return check_until_render((CORPUS / name).read_text(encoding="utf-8"), MANIFEST[name].get("scene"), root)

    # The longest scenes first: two workers then finish together instead of one waiting on a long tail.
    for name in sorted(dict.fromkeys(names), key=lambda n: -MANIFEST[n].get("animations", 0)):
        futures[name] = pool.submit(one, name)
    yield futures
    pool.shutdown(wait=False, cancel_futures=True)


def test_manifest_describes_every_scene():
    files = {p.name for p in CORPUS.glob("*.py")}
    assert files == set(MANIFEST), f"scenes without an entry: {files - set(MANIFEST)}; " \
                                   f"entries without a scene: {set(MANIFEST) - files}"
    for name, e in MANIFEST.items():
        assert e["family"] in (1, 2, 3, 4, 5, 6, 7, 8, 9, "ok", "beyond-rules"), name
        assert e["expected"] in ("renders", "renders-partial", "partial", "fails"), name
        assert e["defect"] and e["scene"], name
        assert e["plain_manim"]["result"] in ("ok", "error", "timeout"), name
        assert ("reason" in e) == (e["expected"] in ("fails", "partial")), name
        assert e["expected"] == "fails" or e["animations"] > 0, name
    assert len(MANIFEST) >= 90
    error_driven = [n for n, e in MANIFEST.items() if e["family"] in (8, 9)]  # issue 19: no static rule fixes them
    assert len(error_driven) >= 60


# The corpus is validated in the background, longest scenes first; the first test may wait for most of it.
@pytest.mark.slow
@pytest.mark.timeout(2400)
@pytest.mark.parametrize("name", sorted(MANIFEST), ids=case_id)
def test_realworld(name, checked):
    entry = MANIFEST[name]
    got: Checked = checked[name].result()
    if entry["expected"] == "partial":
        assert not got.validated, f"{name} ({entry['defect']}) validated, but its failure is not repairable"
        named = [e for e in got.failures if entry["reason"].lower() in f"{e.kind} {e.message}".lower()]
        assert named, f"{name}: expected an error naming {entry['reason']}, got:\n{got.failure_text()}"
        assert got.partial == entry["animations"], (
            f"{name}: expected a partial video of the {entry['animations']} animation(s) before the failure, "
            f"got {got.partial} ({got.failure_text()})")
        return
    if entry["expected"] == "fails":
        assert not got.validated, f"{name} ({entry['defect']}) passed validate, but it cannot render as written"
        reason = entry["reason"].lower()
        named = [e for e in got.failures if reason in f"{e.kind} {e.message}".lower()]
        assert named, f"{name}: expected an error naming {entry['reason']}, got:\n{got.failure_text()}"
        if "line" in entry:  # the line to look at; sanitize may shift lines, so its text counts too
            source = (CORPUS / name).read_text(encoding="utf-8").splitlines()[entry["line"] - 1].strip()
            assert any(e.line == entry["line"] or e.source_line == source for e in named), (
                f"{name}: the error should point at line {entry['line']} ({source!r}), got:\n{got.failure_text()}")
        return
    should = "render" if entry["expected"] == "renders" else "render its complete part"
    assert got.validated, (f"{name} [{entry['defect']}] should {should} after the deterministic fixes, but "
                           f"stopped before rendering:\n{got.failure_text()}")
    want = entry["animations"]
    least = want if entry["expected"] == "renders-partial" else math.floor(want * ANIMATION_TOLERANCE)
    assert got.animations >= least, (f"{name}: validate counted {got.animations} animation(s); the complete "
                                     f"scene has {want} (at least {least} expected)")
    if entry["plain_manim"]["result"] == "error":  # it needed a change: the user must be told what changed
        told = [s for s in got.said if s and CHANGE_NOTICE.search(NOTHING_FIXED.sub("", s))]
        assert told, (f"{name}: plain manim fails on it ({entry['plain_manim'].get('error')}) and it now "
                      f"validates, but the user was not told what was changed; shown:\n"
                      + "\n".join(s for s in got.said if s))
    if entry["expected"] == "renders-partial":
        assert any(TRUNCATION_NOTICE.search(s or "") for s in got.said), (
            f"{name}: the code was cut off, but the user was not told that only the complete part renders; "
            f"shown:\n" + "\n".join(s for s in got.said if s))


def run_to_end(name: str, root: Path):
    """The whole job on the pasted scene, fixes on: the JobResult."""
    request = pipeline.Request(code=(CORPUS / name).read_text(encoding="utf-8"), scene=MANIFEST[name]["scene"],
                               sanitize=True, settings=settings_in(root))
    return next(ev.result for ev in pipeline.run(request) if isinstance(ev, Finished))


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDER_SAMPLE, ids=case_id)
def test_realworld_renders(name, tmp_path):
    entry = MANIFEST[name]
    result = run_to_end(name, tmp_path)
    assert result.ok, f"{name} [{entry['defect']}]: " + "; ".join(e.short() for e in result.errors)
    facts = probe(result.video)
    width, height, _ = config.QUALITIES["l"]
    assert (facts.width, facts.height) == (width, height)
    assert facts.frames > 0 and facts.duration > 0.5
    assert facts.nonblank(), f"{name}: the last frame is blank"
    if entry["expected"] == "renders":
        assert result.animations or 0 >= math.floor(entry["animations"] * ANIMATION_TOLERANCE)


@pytest.mark.slow
def test_realworld_partial_video(tmp_path):
    """A scene whose own maths fails late: the job says partial and returns the animations before it."""
    entry = MANIFEST[PARTIAL_SAMPLE]
    result = run_to_end(PARTIAL_SAMPLE, tmp_path)
    assert not result.ok and result.status == "partial"
    assert result.partial is not None and result.partial.animations == entry["animations"]
    assert entry["reason"] in result.partial.error and result.partial.line == entry["line"]
    facts = probe(result.video)
    assert facts.frames > 0 and facts.duration > 0.5 and facts.nonblank()


def test_realworld_failure_keeps_code_and_log(tmp_path):
    """A scene no rule can fix fails with its reason, and the job keeps the code and the log; what played
    before the failure is a partial video (issue 19)."""
    entry = MANIFEST[FAILING_SAMPLE]
    result = run_to_end(FAILING_SAMPLE, tmp_path)
    assert not result.ok and result.status == "partial" and result.partial is not None
    assert result.video and result.video.is_file() and result.partial.animations >= 1
    assert any(entry["reason"] in f"{e.kind} {e.message}" for e in result.errors), result.errors
    assert result.code and result.code.is_file() and "slope = y / x" in result.code.read_text(encoding="utf-8")
    assert result.log and result.log.is_file() and entry["reason"] in result.log.read_text(encoding="utf-8")
