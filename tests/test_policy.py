"""The policy check: what can never be a scene is refused with its line and a plain reason; what the sandbox
holds runs (the scenes issue 11 found refused are rendered for real); what may not work is a warning."""
from __future__ import annotations

import pytest

from text_to_manim import gallery
from text_to_manim.events import POLICY, Failed, Finished, StageFinished
from text_to_manim.pipeline import conductor as pipeline
from text_to_manim.scene import policy

HEAD = "from manim import *\n\nclass S(Scene):\n    def construct(self):\n"


def kinds(code: str) -> set[tuple[str, int | None]]:
    return {(e.kind, e.line) for e in policy.check(code)}


def body(*stmts: str) -> str:
    return HEAD + "".join(f"        {s}\n" for s in stmts) + "        self.wait()\n"


REFUSED_IMPORTS = {
    "import subprocess": "forbidden-import",
    "from subprocess import run": "forbidden-import",
    "from socket import socket": "forbidden-import",
    "import ctypes": "forbidden-import",
    "import pickle": "forbidden-import",
    "import importlib": "forbidden-import",
    "import requests": "forbidden-import",
    "import multiprocessing as mp": "forbidden-import",
    "from manim.utils.commands import capture": "forbidden-import",
    "from manim.utils import commands": "forbidden-import",
    "import gc": "forbidden-import",
    "from os import system": "forbidden-attribute",
    "from os import environ": "forbidden-attribute",
    "from os import *": "forbidden-import",
    "from sys import modules": "forbidden-attribute",
    "from tempfile import _os": "forbidden-attribute",
    "from . import x": "relative-import",
    "from manim.utils.module_ops import get_module": "forbidden-import",  # issue 16.6: code loaders
    "from manim.utils import module_ops": "forbidden-import",
    "import manim.utils.module_ops as mo": "forbidden-import",
    "from manim.utils.ipython_magic import ManimMagic": "forbidden-import",
    "import yaml": "forbidden-import",
    "from jinja2 import Template": "forbidden-import",
    "from PIL import ImageMath": "forbidden-import",
}
REFUSED = {
    "exec('print(1)')": "forbidden-call",
    "eval('1+1')": "forbidden-call",
    "compile('1', 'x', 'eval')": "forbidden-call",
    "__import__('os')": "forbidden-call",
    "globals()['x'] = 1": "forbidden-call",
    "getattr(self.construct, '__globals__')": "dunder",
    "setattr(self, '__dict__', {})": "dunder",
    "getattr(self, name)": "dynamic-attribute",
    "getattr(self, '__cla' + 'ss__')": "dynamic-attribute",
    "f = getattr": "forbidden-call",
    "list(map(eval, ['1']))": "forbidden-call",
    "x = ().__class__.__base__.__subclasses__()": "dunder",
    "f = self.construct.__globals__": "dunder",
    "b = __builtins__": "forbidden-name",
    "g = (i for i in []).gi_frame.f_back.f_globals": "forbidden-attribute",
    "np.load('w.npy', allow_pickle=True)": "forbidden-call",
    "a = np.zeros(3).ctypes.data": "forbidden-attribute",
    "open_file('x.mp4')": "forbidden-call",
    "utils.commands.capture(['id'])": "forbidden-attribute",
    "p = tempfile._os.system('id')": "forbidden-attribute",
    "Path('x').symlink_to('/etc')": "forbidden-attribute",
    "string.Formatter().get_field('0.x', [self], {})": "forbidden-attribute",
    "m = utils.module_ops.get_module(Path('x.py'))": "forbidden-attribute",  # issue 16.6
    "c = manim.utils.module_ops.scene_classes_from_file(Path('x.py'))": "forbidden-attribute",
    "PIL.ImageMath.unsafe_eval('1', {})": "forbidden-attribute",
}
RESTRICTED = {  # os and sys: some attributes only
    "import os\n": ("os.system('id')", "forbidden-attribute"),
    "import os as o\n": ("o.fork()", "forbidden-attribute"),
    "import os\n ": ("k = os.environ['DEEPSEEK_API_KEY']", "forbidden-attribute"),
    "import os.path\n": ("os.path.os.system('id')", "forbidden-attribute"),
    "import os\n  ": ("m = os", "module-value"),
    "import sys\n": ("sys.modules['x'] = None", "forbidden-attribute"),
    "import sys\n ": ("f = sys._getframe(0)", "forbidden-attribute"),
}


@pytest.mark.parametrize("stmt", sorted(REFUSED_IMPORTS))
def test_refused_imports(stmt):
    errors = [e for e in policy.check(stmt + "\n" + body()) if e.kind == REFUSED_IMPORTS[stmt]]
    assert errors and errors[0].line == 1 and errors[0].source_line == stmt
    assert len(errors[0].message) > 25


@pytest.mark.parametrize("stmt", sorted(REFUSED))
def test_refused_constructs_have_line_and_reason(stmt):
    code = "import string, tempfile\nfrom pathlib import Path\n" + body(stmt)
    errors = [e for e in policy.check(code) if e.kind == REFUSED[stmt]]
    assert errors, policy.check(code)
    assert errors[0].line == 7 and errors[0].source_line == stmt
    assert len(errors[0].message) > 25  # a plain-language reason, not just a rule id


@pytest.mark.parametrize("head", sorted(RESTRICTED), ids=lambda h: RESTRICTED[h][0])
def test_os_and_sys_only_for_what_scenes_need(head):
    stmt, kind = RESTRICTED[head]
    errors = policy.check(head.strip() + "\n" + body(stmt))
    assert errors and {(e.kind, e.line) for e in errors} == {(kind, 6)}, errors


ACCEPTED = {
    "own private attribute": body("self._loss_curve = VMobject()", "if hasattr(self, '_loss_curve'):",
                                  "    self.add(self._loss_curve)", "getattr(self, '_loss_curve').set_color(RED)"),
    "warnings": "import warnings\nwarnings.filterwarnings('ignore')\n" + body("warnings.warn('x')"),
    "image from an array": "import numpy as np\n" + body("img = np.zeros((8, 8, 3), dtype=np.uint8)",
                                                         "self.add(ImageMobject(img))"),
    "PIL in memory and in the job folder": "from PIL import Image\nimport numpy as np\n" + body(
        "im = Image.new('RGB', (4, 4), 'red')", "im.save('red.png')", "self.add(ImageMobject('red.png'))",
        "self.add(ImageMobject(np.array(im)))"),
    "files beside the scene": "import os\nfrom pathlib import Path\n" + body(
        "here = Path(__file__).parent", "p = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'a.png')",
        "names = os.listdir(here)", "os.makedirs(here / 'out', exist_ok=True)", "print(p, names, here / 'b.svg')"),
    "sys facts": "import sys\n" + body("sys.setrecursionlimit(5000)", "print(sys.version_info)"),
    "dunder protocols": "class V:\n    def __len__(self):\n        return 1\n    def __repr__(self):\n"
                        "        return 'V'\n" + body("print(type(self).__name__, self.__class__.__name__)",
                                                     "super().__init__()", "x = V().__len__()"),
    "names like modules": body("io, code, signal, system, environ = 1, 2, 3, 4, 5", "self.system = Axes()"),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_without_a_word(name):
    r = policy.review(ACCEPTED[name])
    assert (r.errors, r.warnings) == ([], []), (r.errors, r.warnings)


def test_missing_or_outside_files_are_warnings_not_refusals():
    code = body("self.add(ImageMobject('cat.jpg'))", "self.add(SVGMobject('/home/me/logo.svg'))",
                "d = open('/etc/hosts').read()")
    r = policy.review(code)
    assert r.errors == []
    assert [(w.stage, w.kind, w.line) for w in r.warnings] == [
        (POLICY, "missing-file", 5), (POLICY, "outside-job", 6), (POLICY, "outside-job", 7)]
    assert "placeholder" in r.warnings[0].message and "cat.jpg" in r.warnings[0].message
    assert policy.review(code, allowed_files=["cat.jpg"]).warnings[0].kind == "outside-job"


def test_structure_errors():
    assert kinds("x = 1\n") == {("no-scene", None)}
    assert ("SyntaxError", 2) in kinds("from manim import *\nclass A(Scene)\n")
    assert [e.kind for e in policy.check("")] == ["empty"]
    assert [e.kind for e in policy.check(b"\x89PNG\r\n\x1a\n\x00\x00")] == ["binary"]
    assert [e.kind for e in policy.check(b"\xff\xfe bad")] == ["encoding"]
    assert [e.kind for e in policy.check("#" * (policy.MAX_CODE_BYTES + 1))] == ["too-large"]
    assert [e.kind for e in policy.check("x = (" * 20_000)][0] == "SyntaxError"  # deep nesting, no crash
    assert [e.kind for e in policy.check(HEAD + "        x = " + "-" * 60_000 + "1\n")][0] in ("too-deep", "SyntaxError")


ORDINARY = [
    HEAD + "        self.play(Create(Circle()))\n",
    "from manim import *\nimport numpy as np\nfrom sklearn.cluster import KMeans\nimport random, math\n"
    "from collections import defaultdict\n\nclass T(ThreeDScene):\n    def __init__(self, **kw):\n"
    "        super().__init__(**kw)\n\n    def construct(self):\n        ax = ThreeDAxes()\n"
    "        s = Surface(lambda u, v: ax.c2p(u, v, np.sin(u) * np.cos(v)), u_range=[-2, 2], v_range=[-2, 2])\n"
    "        self.set_camera_orientation(phi=60 * DEGREES)\n        self.play(Create(s))\n"
    "        t = ValueTracker(0)\n        d = always_redraw(lambda: Dot(ax.c2p(t.get_value(), 0, 0)))\n"
    "        self.add(d)\n        self.play(t.animate.set_value(1))\n        self.save_state = 1\n"
    "        code = Code(code_string='x = 1', language='python')\n        io, code2, signal = 1, 2, 3\n",
    "from manim import *\n\nclass Base(Scene):\n    def construct(self):\n        self.wait()\n\n"
    "class Child(Base):\n    pass\n",
]


@pytest.mark.parametrize("code", ORDINARY)
def test_ordinary_scenes_pass(code):
    assert policy.check(code) == []


@pytest.mark.parametrize("entry", gallery.entries(), ids=lambda e: e.slug)
def test_every_gallery_scene_passes(entry):
    assert policy.check(entry.code) == []


# -- the scenes issue 11 found refused, now rendered in the sandbox ------------------------------------------
RENDERED = {
    "own_private_attribute": """from manim import *

class LossCurve(Scene):
    def construct(self):
        self._loss_curve = Line(LEFT, RIGHT)
        if hasattr(self, '_loss_curve'):
            self.play(Create(self._loss_curve), run_time=0.3)
""",
    "warnings": """import warnings
from manim import *

warnings.filterwarnings("ignore")

class Quiet(Scene):
    def construct(self):
        warnings.warn("harmless")
        self.play(FadeIn(Square()), run_time=0.3)
""",
    "image_from_array": """from manim import *
import numpy as np

class Gradient(Scene):
    def construct(self):
        x = np.linspace(0, 255, 64, dtype=np.uint8)
        img = np.stack([np.tile(x, (64, 1))] * 3, axis=-1)
        self.play(FadeIn(ImageMobject(img).scale(3)), run_time=0.3)
""",
    "pil_memory_and_job_folder": """from manim import *
from PIL import Image, ImageDraw
import numpy as np

class Drawn(Scene):
    def construct(self):
        im = Image.new("RGB", (64, 64), "white")
        ImageDraw.Draw(im).ellipse((8, 8, 56, 56), fill="red")
        im.save("disc.png")
        self.add(ImageMobject(np.array(im)).shift(LEFT * 2))
        self.play(FadeIn(ImageMobject("disc.png").shift(RIGHT * 2)), run_time=0.3)
""",
    "files_beside_the_scene": """import os
from pathlib import Path
from manim import *
from PIL import Image

class Beside(Scene):
    def construct(self):
        here = Path(__file__).parent
        Image.new("RGB", (32, 32), "blue").save(here / "blue.png")
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "blue.png")
        assert os.path.exists(path) and "blue.png" in os.listdir(here)
        self.play(FadeIn(ImageMobject(path)), run_time=0.3)
""",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RENDERED))
def test_refused_before_now_renders_in_the_sandbox(name, settings, tmp_path):
    """Through the real pipeline (policy, sandboxed validate, sandboxed -ql render): a video."""
    code = RENDERED[name]
    assert policy.review(code) == policy.Review()
    s = settings.with_(quality="l", render_jobs=1)
    events = list(pipeline.run(pipeline.Request(code=code, settings=s, sanitize=False)))
    result = events[-1].result
    assert isinstance(events[-1], Finished) and result.ok, [e.short() for e in result.errors]
    assert result.video and result.video.stat().st_size > 1000


@pytest.mark.slow
def test_warnings_reach_the_person(settings):
    """A missing image is no refusal: the policy stage says it, and the job's warnings carry it (the scene
    goes on to the sandbox, where the realworld shims draw a labelled placeholder)."""
    code = body("self.add(ImageMobject('cat.png'))")
    events = list(pipeline.run(pipeline.Request(code=code, settings=settings, sanitize=False)))
    done = [e for e in events if isinstance(e, StageFinished) and e.stage == POLICY]
    assert done and done[0].detail.startswith("ok; 1 warning(s): line 5:") and "cat.png" in done[0].detail
    assert not [e for e in events if isinstance(e, Failed) and e.stage == POLICY]
    warnings = events[-1].result.extra["warnings"]
    assert [(w["stage"], w["kind"], w["line"]) for w in warnings][:1] == [(POLICY, "missing-file", 5)]
