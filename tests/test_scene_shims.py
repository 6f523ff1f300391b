"""Run-time shims (issue 8, family 7): missing files become placeholders, reported like sanitize fixes."""
from __future__ import annotations

import pytest

from text_to_manim import config
from text_to_manim.events import Finished
from text_to_manim.pipeline import conductor as pipeline

SCENE = '''from manim import *


class Logo(Scene):
    def construct(self):
        cat = ImageMobject("cat.jpg").scale(0.5).to_edge(LEFT)
        logo = SVGMobject("logo.svg", height=1.5).to_edge(RIGHT)
        style = {"color": RED, "glow": 3}
        ring = Circle(**style)
        hello = Text("Hello world")
        hello.set_color_by_tex("world", YELLOW)
        self.play(FadeIn(cat), Create(logo), Create(ring), Write(hello))
'''


def _run(code: str, tmp_path, **request):
    settings = config.load(media_dir=tmp_path / "media", db_path=tmp_path / "h.db", provider="offline",
                           api_key="", render_jobs=1)
    result = None
    for ev in pipeline.run(pipeline.Request(code=code, settings=settings, **request)):
        if isinstance(ev, Finished):
            result = ev.result
    return result


@pytest.mark.slow
def test_missing_files_and_unknown_options_render_with_what_was_done(tmp_path):
    result = _run(SCENE, tmp_path, sanitize=False)
    assert result.ok, [e.short() for e in result.errors]
    assert result.video.stat().st_size > 1000
    fixes = {f.line: f.what for f in result.fixes}
    assert "ImageMobject('cat.jpg')" in fixes[6] and "placeholder" in fixes[6]
    assert "SVGMobject('logo.svg')" in fixes[7]
    assert "glow=" in fixes[9] and "set_color_by_tex" in fixes[11]
    # the placeholder is where the image would be: the preview's left edge has the frame drawn in grey
    from PIL import Image

    img = Image.open(result.preview).convert("L")
    w, h = img.size
    left = [img.getpixel((x, h // 2)) for x in range(0, w // 5)]
    assert max(left) > 100  # the frame and its label, not black


@pytest.mark.slow
def test_an_existing_file_is_left_alone(tmp_path):
    """A shipped image renders as itself, with no note."""
    from PIL import Image

    job_dir = tmp_path / "job"
    job_dir.mkdir()
    Image.new("RGB", (40, 30), (255, 0, 0)).save(job_dir / "red.png")
    code = ("from manim import *\n\n\nclass Red(Scene):\n    def construct(self):\n"
            "        self.play(FadeIn(ImageMobject(\"red.png\").scale(4)))\n")
    result = _run(code, tmp_path, job_dir=job_dir)
    assert result.ok, [e.short() for e in result.errors]
    assert result.fixes == []
    img = Image.open(result.preview).convert("RGB")
    r, g, b = img.getpixel((img.size[0] // 2, img.size[1] // 2))
    assert r > 200 and g < 60 and b < 60


POINTS = '''from manim import *
import numpy as np


class Points(Scene):
    def construct(self):
        tri = Polygon([0, 0], [2, 0], [0, 1.5], color="light blue")
        dot = Dot(np.array([1, 2]))
        line = Line([0, 0], [1, 1], color="dark_green")
        dot.move_to([-2, 1])
        self.add_sound("click.wav")
        self.play(Create(tri), FadeIn(dot), Create(line))
        self.play(dot.animate.shift([1, 0]))
'''


@pytest.mark.slow
def test_2d_points_colour_spellings_and_missing_sounds(tmp_path):
    result = _run(POINTS, tmp_path, sanitize=False)
    assert result.ok, [e.short() for e in result.errors]
    notes = [(f.line, f.what) for f in result.fixes]
    assert (7, "Polygon(...): 2-D point(s) given where Manim needs 3-D ones; z = 0 was added") in notes
    assert any(line == 7 and "'light blue' read as #ADD8E6" in what for line, what in notes)
    assert {line for line, what in notes if "2-D point" in what} == {7, 8, 9, 10, 13}
    assert any(line == 11 and "click.wav" in what for line, what in notes)


@pytest.mark.slow
def test_a_number_changing_its_digit_count_is_counted_not_morphed(tmp_path):
    code = ("from manim import *\n\n\nclass Decay(Scene):\n    def construct(self):\n"
            "        n = DecimalNumber(1000, num_decimal_places=1)\n        self.add(n)\n"
            "        self.play(n.animate.set_value(500.0))\n        self.play(n.animate.set_value(400.0))\n")
    result = _run(code, tmp_path, sanitize=False)
    assert result.ok, [e.short() for e in result.errors]
    assert [(f.line, "ChangeDecimalToValue" in f.what) for f in result.fixes] == [(8, True)]  # 500 -> 400: no note
