"""The CLI contract: JSON on the last line, exit codes 0/1/2, clear messages for bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli


def last_json(proc):
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_missing_file_is_a_usage_error():
    proc = run_cli("render", "no/such/scene.py")
    assert proc.returncode == 2
    assert "no such file" in proc.stderr


def test_bad_arguments_exit_2():
    assert run_cli("render").returncode == 2
    assert run_cli("render", "x.py", "-q", "z").returncode == 2


def test_check_reports_lines_and_exit_codes(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os, subprocess\nfrom manim import *\n\nclass A(Scene):\n    def construct(self):\n        os.system('id')\n")
    proc = run_cli("check", str(bad), "--json")
    assert proc.returncode == 1
    errors = last_json(proc)["errors"]
    assert {(e["line"], e["kind"]) for e in errors} >= {(6, "forbidden-attribute")}  # os itself is allowed (issue 11)
    good = ROOT / "tests" / "data" / "scene_basic.py"
    proc = run_cli("check", str(good), "--json")
    assert proc.returncode == 0 and last_json(proc) == {"ok": True, "errors": [], "fixes": []}


def test_doctor_reports_every_dependency_without_the_key():
    proc = run_cli("doctor", "--json", env={"DEEPSEEK_API_KEY": "sk-doctor-secret-123"})
    checks = {c["name"]: c for c in last_json(proc)}
    for name in ("latex", "dvisvgm", "bubblewrap", "ffmpeg", "manim", "API key"):
        assert name in checks
    assert checks["API key"]["ok"] and "sk-doctor-secret-123" not in proc.stdout
    assert checks["manim"]["detail"] == "0.22.0"


def _render_json(path: Path, timeout_env: str = "60"):
    proc = run_cli("render", str(path), "--json", env={"T2M_RENDER_TIMEOUT": timeout_env})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return last_json(proc)


BAD_INPUTS = {
    "empty": (b"", "empty"),
    "binary": (bytes(range(256)) * 40, "binary"),
    "huge": (b"# pad\n" * 900_000, "too-large"),
    "syntax": (b"from manim import *\nclass A(Scene)\n    pass\n", "SyntaxError"),
    "no_scene": (b"from manim import *\nx = Circle()\n", "no-scene"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error_and_keeps_the_job(tmp_path, name):
    data, kind = BAD_INPUTS[name]
    path = tmp_path / f"{name}.py"
    path.write_bytes(data)
    result = _render_json(path)
    assert not result["ok"]
    assert result["errors"][0]["kind"] == kind
    assert len(result["errors"][0]["message"]) > 20
    assert Path(result["job_dir"], "scene.py").exists()


@pytest.mark.slow
def test_two_scenes_render_the_last_and_say_so(tmp_path):
    path = tmp_path / "two.py"
    path.write_text("from manim import *\n\nclass First(Scene):\n    def construct(self):\n        self.add(Circle())\n\n"
                    "class Second(Scene):\n    def construct(self):\n        self.play(Create(Square()))\n")
    proc = run_cli("render", str(path), "--json")
    result = last_json(proc)
    assert proc.returncode == 0 and result["scene"] == "Second"
    assert "2 scenes found" in result["note"]


@pytest.mark.slow
def test_infinite_loop_and_memory_bomb_are_stopped(tmp_path):
    loop = tmp_path / "loop.py"
    loop.write_text("from manim import *\n\nclass L(Scene):\n    def construct(self):\n        while True:\n            pass\n")
    result = _render_json(loop, timeout_env="6")
    assert result["errors"][0]["kind"] == "Timeout"
    assert Path(result["job_dir"], "scene.py").exists() and Path(result["job_dir"], "render.log").exists()
    bomb = tmp_path / "bomb.py"
    bomb.write_text("from manim import *\n\nclass M(Scene):\n    def construct(self):\n        x = [0] * (10 ** 10)\n")
    err = _render_json(bomb)["errors"][0]
    assert err["kind"] == "MemoryError" and err["line"] == 5 and "memory" in err["message"]


@pytest.mark.slow
def test_two_renders_sharing_out_each_own_their_files(tmp_path):
    """Issue 12.2: two CLI renders at once with the same --out never overwrite each other's files, and
    no error points at code the person did not give."""
    import subprocess
    import sys

    out = tmp_path / "out"
    sources = {}
    procs = []
    for name, shape in (("Alpha", "Circle"), ("Beta", "Square")):
        path = tmp_path / f"{name.lower()}.py"
        sources[name] = (f"from manim import *\n\n\nclass {name}(Scene):\n    def construct(self):\n"
                         f"        self.play(Create({shape}()))\n")
        path.write_text(sources[name])
        procs.append((name, subprocess.Popen(
            [sys.executable, "-m", "text_to_manim", "render", str(path), "--scene", name, "--out", str(out),
             "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    results = {}
    for name, proc in procs:
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr[-2000:]
        results[name] = json.loads(stdout.strip().splitlines()[-1])
    assert results["Alpha"]["job_dir"] != results["Beta"]["job_dir"]
    for name, data in results.items():
        job_dir = Path(data["job_dir"])
        assert job_dir.parent == out and job_dir.name.startswith(name.lower())
        assert Path(data["code"]).read_text() == sources[name]  # its own code, not the other run's
        assert data["scene"] == name and Path(data["video"]).name == f"{name}.mp4"
        assert Path(data["video"]).stat().st_size > 1000


FOLDER = {
    "good.py": "from manim import *\n\n\nclass Good(Scene):\n    def construct(self):\n        self.play(Create(Circle()))\n",
    "cut.py": ("from manim import *\n\n\nclass Cut(Scene):\n    def construct(self):\n"
               "        self.play(Create(Square()))\n        self.play(FadeIn(Tri"),
    "undefined.py": ("from manim import *\n\n\nclass Undefined(Scene):\n    def construct(self):\n"
                     "        self.play(Write(formula_we_never_made))\n"),
    "sub/garbled.py": "from manim import *\nclass G(Scene)\n    def construct(self):\n        x = = 1\n",
}


def _folder(tmp_path) -> Path:
    root = tmp_path / "scenes"
    for name, code in FOLDER.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(code)
    return root


def test_check_a_folder_fixes_each_file_and_sums_up(tmp_path):
    root = _folder(tmp_path)
    proc = run_cli("check", str(root), "--fix", "--json")
    assert proc.returncode == 1  # not all succeeded
    data = last_json(proc)
    status = {r["file"]: r["status"] for r in data["files"]}
    assert status == {"good.py": "ok", "cut.py": "fixed", "undefined.py": "ok", "sub/garbled.py": "failed"}
    assert data["summary"] == {"files": 4, "ok": 2, "fixed": 1, "failed": 1,
                               "failed_by_reason": {"policy/SyntaxError": 1}}
    assert "cut off at line 7" in data["files"][0]["fixes"][0]["what"]
    assert (root / "cut.py").read_text().endswith("self.play(Create(Square()))\n")  # fixed in place
    table = run_cli("check", str(root)).stdout
    assert "4 files: 3 ok, 0 fixed, 1 failed (policy/SyntaxError 1)" in table
    assert run_cli("check", str(tmp_path / "empty_dir_missing")).returncode == 2


@pytest.mark.slow
def test_render_a_folder_gives_a_table_and_a_summary(tmp_path):
    root = _folder(tmp_path)
    (root / "sub" / "garbled.py").unlink()
    (root / "late.py").write_text("from manim import *\n\n\nclass Late(Scene):\n    def construct(self):\n"
                                  "        self.play(Create(Circle()))\n        self.play(FadeIn(Square().shift(1 / 0)))\n")
    proc = run_cli("render", str(root), "--fix", "--out", str(tmp_path / "out"), "--json")
    assert proc.returncode == 1, proc.stderr[-2000:]
    data = last_json(proc)
    rows = {r["file"]: r for r in data["files"]}
    assert rows["good.py"]["status"] == "rendered" and Path(rows["good.py"]["video"]).stat().st_size > 1000
    assert rows["cut.py"]["status"] == "fixed-then-rendered" and rows["cut.py"]["scene"] == "Cut"
    assert rows["undefined.py"]["status"] == "failed" and rows["undefined.py"]["reason"] == "validate/NameError"
    assert rows["late.py"]["status"] == "partial" and Path(rows["late.py"]["video"]).stat().st_size > 1000
    assert data["summary"]["partial"] == 1
    assert data["summary"]["failed_by_reason"] == {"validate/NameError": 1}
    assert rows["late.py"]["reason"] == "validate/ZeroDivisionError"
    assert len({r["job_dir"] for r in data["files"]}) == 4  # a folder of its own per file
    assert (root / "cut.py").read_text() == FOLDER["cut.py"]  # render never rewrites the person's file
    plain = run_cli("render", str(root), "--out", str(tmp_path / "out2"))
    assert plain.stdout.strip().splitlines()[-1] == ("4 files: 1 rendered, 0 fixed-then-rendered, 1 partial, 2 failed "
                                                     "(policy/SyntaxError 1, validate/NameError 1)")
