"""The policy check: each forbidden construct is caught with its line; ordinary scenes pass."""
from __future__ import annotations

import pytest

from text_to_manim import gallery, policy

HEAD = "from manim import *\n\nclass S(Scene):\n    def construct(self):\n"


def kinds(code: str) -> set[tuple[str, int | None]]:
    return {(e.kind, e.line) for e in policy.check(code)}


FORBIDDEN = {
    "import os": ("forbidden-import", 1),
    "import subprocess": ("forbidden-import", 1),
    "from socket import socket": ("forbidden-import", 1),
    "import shutil": ("forbidden-import", 1),
    "from pathlib import Path": ("forbidden-import", 1),
    "import ctypes": ("forbidden-import", 1),
    "import pickle": ("forbidden-import", 1),
    "import importlib": ("forbidden-import", 1),
    "import sys": ("forbidden-import", 1),
    "import requests": ("forbidden-import", 1),
    "from . import x": ("relative-import", 1),
}
BODY = {
    "open('/etc/passwd').read()": "forbidden-call",
    "exec('print(1)')": "forbidden-call",
    "eval('1+1')": "forbidden-call",
    "compile('1', 'x', 'eval')": "forbidden-call",
    "__import__('os')": "forbidden-call",
    "globals()['x'] = 1": "forbidden-call",
    "getattr(self, '__class__')": "dunder",
    "setattr(self, '__dict__', {})": "dunder",
    "getattr(self, name)": "dynamic-attribute",
    "x = ().__class__.__base__.__subclasses__()": "dunder",
    "f = self.construct.__globals__": "dunder",
    "b = __builtins__": "forbidden-name",
    "np.load('weights.npy')": "forbidden-attribute",
    "np.array([1]).tofile('x')": "forbidden-attribute",
    "open_file('x.mp4')": "forbidden-call",
    "self.add(ImageMobject('cat.jpg'))": "missing-file",
    "self.add(SVGMobject('logo.svg'))": "missing-file",
    "os.system('id')": "forbidden-attribute",
}


@pytest.mark.parametrize("stmt", sorted(FORBIDDEN))
def test_forbidden_imports(stmt):
    code = stmt + "\n" + HEAD + "        self.wait()\n"
    assert FORBIDDEN[stmt] in kinds(code)


@pytest.mark.parametrize("stmt", sorted(BODY))
def test_forbidden_constructs_have_line_and_reason(stmt):
    code = HEAD + f"        {stmt}\n        self.wait()\n"
    errors = [e for e in policy.check(code) if e.kind == BODY[stmt]]
    assert errors, policy.check(code)
    assert errors[0].line == 5 and errors[0].source_line == stmt
    assert len(errors[0].message) > 25  # a plain-language reason, not just a rule id


def test_image_shipped_with_the_job_is_allowed():
    code = HEAD + "        self.add(ImageMobject('cat.png'))\n"
    assert policy.check(code, allowed_files=["cat.png"]) == []


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
