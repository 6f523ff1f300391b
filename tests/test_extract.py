"""Finding the scene and the notes in a model's answer, at the end and live."""
from __future__ import annotations

from text_to_manim.events import CodeDelta, NotesDelta, ReasoningDelta
from text_to_manim.generate.extract import LiveSplitter, extract

SCENE = "from manim import *\n\nclass A(Scene):\n    def construct(self):\n        self.wait()\n"


def test_standard_format():
    text = f"Some plan.\n## Code\n```python\n{SCENE}```\n## Notes\n# Circles\nA circle has $r$.\n"
    ex = extract(text)
    assert ex.code == SCENE and ex.how == "fenced"
    assert ex.notes == "# Circles\nA circle has $r$."
    assert ex.prose == "Some plan."


def test_last_block_wins_and_closing_fence_matches_opening_backticks():
    inner = "class B(Scene):\n    def construct(self):\n        s = '''\n```\nnot a fence end\n'''\n"
    text = f"```python\n{SCENE}```\nBetter:\n````python\nfrom manim import *\n{inner}````\n"
    ex = extract(text)
    assert "class B(Scene)" in ex.code and "not a fence end" in ex.code and "class A" not in ex.code


def test_code_without_fences():
    text = f"Here is the scene:\n\n{SCENE}\nThis shows a pause."
    ex = extract(text)
    assert ex.how == "unfenced" and ex.code.strip() == SCENE.strip()


def test_several_blocks_joined_when_they_only_work_together():
    text = ("Helpers:\n```python\nfrom manim import *\n\ndef dot_row(n):\n    return VGroup(*[Dot() for _ in "
            "range(n)])\n```\nScene:\n```python\nclass Row(Scene):\n    def construct(self):\n"
            "        self.add(dot_row(3))\n```\n")
    ex = extract(text)
    assert ex.how == "joined" and "def dot_row" in ex.code and "class Row(Scene)" in ex.code


def test_python_example_inside_notes_is_not_the_scene():
    text = f"## Code\n```python\n{SCENE}```\n## Notes\nIn numpy:\n```python\nimport numpy as np\nnp.ones(3)\n```\n"
    ex = extract(text)
    assert ex.code == SCENE and "np.ones" in ex.notes


def test_unterminated_block_from_a_cut_stream():
    ex = extract("## Code\n```python\nfrom manim import *\nclass A(Scene):\n    def construct(self):\n        se")
    assert ex.how == "unterminated" and ex.code.startswith("from manim import *")


def test_nothing_found():
    ex = extract("I cannot help with that.")
    assert not ex.ok and ex.code == ""


def test_notes_heading_variants():
    for heading in ("## Notes", "### Study notes", "**Notes:**", "Notes:", "# NOTES"):
        ex = extract(f"```python\n{SCENE}```\n{heading}\nbody $x$\n")
        assert ex.notes == "body $x$", heading


def _split(text: str, size: int):
    s = LiveSplitter()
    out = []
    for i in range(0, len(text), size):
        out += s.feed(text[i:i + size])
    out += s.flush()
    code = "".join(e.text for e in out if isinstance(e, CodeDelta))
    notes = "".join(e.text for e in out if isinstance(e, NotesDelta))
    prose = "".join(e.text for e in out if isinstance(e, ReasoningDelta))
    return code, notes, prose, out


def test_live_splitter_matches_final_extraction_at_any_chunk_size():
    text = f"Plan: one pause.\n## Code\n```python\n{SCENE}```\n## Notes\n# Pauses\nWait $t$ seconds.\n"
    for size in (1, 2, 3, 7, 16, 1000):
        code, notes, prose, _ = _split(text, size)
        assert code == SCENE, size
        assert notes.strip() == "# Pauses\nWait $t$ seconds.", size
        assert prose.strip() == "Plan: one pause.", size


def test_live_splitter_streams_code_before_the_line_ends():
    s = LiveSplitter()
    s.feed("```python\n")
    out = s.feed("from man")
    assert out == [CodeDelta("from man")]


def test_live_splitter_non_python_block_stays_prose():
    code, notes, prose, _ = _split("```text\nnot code\n```\n```python\nx = 1\n```\n", 4)
    assert code == "x = 1\n" and "not code" in prose
