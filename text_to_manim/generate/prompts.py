"""Every word we send to a model: the response format, generation, anchoring, repair.

The response format is what `extract` parses and `extract.LiveSplitter` splits live:

    ## Code
    ```python
    from manim import *
    ...
    ```
    ## Notes
    # Title
    Markdown study notes with $...$ math.

Reasoning goes in the provider's reasoning channel (or <think>…</think>); any prose outside the two
sections is shown as reasoning.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Optional

from text_to_manim.events import CodeError
from text_to_manim.generate.repair import error_report

CODE_HEADING = "## Code"
NOTES_HEADING = "## Notes"

SYSTEM = f"""You write Manim Community Edition (v0.19+, `from manim import *`) animations that explain \
mathematical and scientific concepts, plus study notes about them.

Answer in exactly this format:

{CODE_HEADING}
```python
from manim import *

class ConceptScene(Scene):
    def construct(self):
        ...
```
{NOTES_HEADING}
# <title>
<study notes in Markdown: the intuition, the key formulas in $...$ or $$...$$, a worked example, \
common pitfalls; 200-600 words>

Rules for the code:
- exactly one Scene subclass (Scene, MovingCameraScene or ThreeDScene), complete and runnable; \
no placeholders, no "..." in code;
- Manim Community API only: Create (not ShowCreation), Text / Tex / MathTex (not TextMobject / \
TexMobject), Axes(...).plot (not GraphScene / get_graph), FadeIn(m, shift=UP) (not FadeInFrom), \
m.animate.shift(...) (not ApplyMethod), no CONFIG dicts;
- every LaTeX string is a raw string: MathTex(r"\\frac{{a}}{{b}}"); no $ inside MathTex;
- imports: only manim, numpy (as np), math, random, itertools, functools, colorsys; no files, \
network, subprocess, os, sys, open(), eval/exec or dunder attributes;
- keep everything inside the 14 x 8 frame (scale long text, arrange with buff), do not let text \
overlap, FadeOut what you no longer need;
- 20 to 60 seconds of animation; use self.wait() between steps.
"""

ANCHOR_SYSTEM = """You pick the key formulas for a math animation. Answer with 1 to 5 LaTeX formulas, \
each on its own line between $$ and $$, written for amsmath's align* environment (no $ or \\[ inside). \
No other text. If the concept has no formula, answer NONE."""


def _formula_block(good: Iterable[str], bad: Iterable[tuple[str, str]]) -> str:
    good, bad = list(good), list(bad)
    parts = []
    if good:
        parts.append("These LaTeX formulas are known to compile in MathTex; use them verbatim "
                     "(as raw strings):\n" + "\n".join(f"- r\"{f}\"" for f in good))
    if bad:
        parts.append("These formulas do NOT compile (TeX's error follows each); write a correct version:\n"
                     + "\n".join(f"- {f}   -> {err}" for f, err in bad))
    return "\n\n".join(parts)


def generation(prompt: str, *, formulas: Iterable[str] = (), bad_formulas: Iterable[tuple[str, str]] = (),
               previous_code: Optional[str] = None) -> list[dict]:
    user = f"Concept to animate and explain:\n{prompt.strip()}"
    block = _formula_block(formulas, bad_formulas)
    if block:
        user += "\n\n" + block
    if previous_code:
        user = (f"Here is the current scene:\n```python\n{previous_code.rstrip()}\n```\n\n"
                f"Change it as asked, keeping what works:\n{prompt.strip()}")
        if block:
            user += "\n\n" + block
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def anchor(prompt: str) -> list[dict]:
    return [{"role": "system", "content": ANCHOR_SYSTEM},
            {"role": "user", "content": f"Concept: {prompt.strip()}"}]


def repair(messages: list[dict], answer: str, code: str, errors: list[CodeError], round_no: int,
           rounds: int, layout: bool = False) -> list[dict]:
    """Continue the conversation: the model's last answer, then the code it produced and what failed (or,
    with `layout`, what the layout check found in a scene that otherwise works)."""
    report = error_report(errors, code)
    what = ("The scene below works, but its layout has problems (texts off the frame or on top of each "
            "other):" if layout else "The scene below failed:")
    task = ("Fix the layout (scale long texts, arrange with buff, next_to, FadeOut what is no longer needed) "
            "and change nothing else." if layout else "Fix the error and anything like it.")
    user = (f"Repair round {round_no} of {rounds}. {what}\n{report}\n\n"
            f"The code, as it ran (after automatic fixes):\n```python\n{code.rstrip()}\n```\n\n"
            f"{task} Answer with the complete corrected file under "
            f"{CODE_HEADING} in one ```python block; repeat the {NOTES_HEADING} section only if they change.")
    return [*messages, {"role": "assistant", "content": answer[-6000:] or "(no answer)"},
            {"role": "user", "content": user}]


def format_repair(messages: list[dict], answer: str, round_no: int, rounds: int) -> list[dict]:
    user = (f"Repair round {round_no} of {rounds}. Your answer had no Python code I could find. Answer in "
            f"the required format: {CODE_HEADING}, then the complete scene in one ```python fenced block, "
            f"then {NOTES_HEADING}.")
    return [*messages, {"role": "assistant", "content": answer[-4000:] or "(no answer)"},
            {"role": "user", "content": user}]


# -- lessons (pipeline/lesson.py, pipeline/storyboard.py) -------------------------------------------------
LESSON_MIN_SCENES, LESSON_MAX_SCENES = 3, 8

STORYBOARD_SYSTEM = f"""You plan short animated math and science lessons made of Manim scenes. Write the \
storyboard only, no code. Answer with one JSON object in a ```json fenced block:

```json
{{"title": "...", "audience": "who it is for",
 "scenes": [{{"title": "...", "goal": "what the viewer understands after it",
             "on_screen": "what is shown and how it moves",
             "formulas": ["LaTeX for amsmath, no $ signs"],
             "narration": "one paragraph a teacher would say over it",
             "seconds": 20}}]}}
```

Between {LESSON_MIN_SCENES} and {LESSON_MAX_SCENES} scenes that build on each other, from the intuition to \
the key result; each scene one idea, 10 to 40 seconds, at most 3 formulas."""

# Every scene of a lesson is told the same: so the clips look like one piece when they are joined.
LESSON_STYLE = """Shared style of this lesson (every scene follows it, so the scenes look like one video):
- background: Manim's default black; text WHITE; key objects BLUE; highlights YELLOW; results GREEN; \
warnings RED;
- the scene's title first: Text(title, font_size=40).to_edge(UP), kept there (or faded out) while the \
scene runs; body text font_size 28 to 32; formulas MathTex at font_size 36 to 44;
- start from an empty frame and end by fading everything out (self.play(FadeOut(*self.mobjects))), so \
scenes join cleanly;
- no sound, no voiceover, no images or files."""


def storyboard(prompt: str, scenes: Optional[int] = None, document: str = "") -> list[dict]:
    """Ask for a lesson's storyboard; `document`: the sections and formulas of a source file to follow."""
    user = f"Lesson topic:\n{prompt.strip() or '(the document below)'}"
    if scenes:
        user += f"\n\nUse exactly {scenes} scenes."
    if document.strip():
        user += ("\n\nFollow this document: one scene per section where it fits, and its formulas verbatim.\n"
                 + document.strip())
    return [{"role": "system", "content": STORYBOARD_SYSTEM}, {"role": "user", "content": user}]


def storyboard_repair(messages: list[dict], answer: str, problem: str) -> list[dict]:
    user = (f"That storyboard could not be used: {problem}. Answer again with the complete storyboard as one "
            "JSON object in a ```json fenced block, in the format asked for.")
    return [*messages, {"role": "assistant", "content": answer[-6000:] or "(no answer)"},
            {"role": "user", "content": user}]


def lesson_scene(lesson_title: str, audience: str, index: int, total: Optional[int], title: str, goal: str,
                 on_screen: str, formulas: Iterable[str], narration: str, seconds: float) -> str:
    """The prompt of one lesson scene: its part of the storyboard, and the lesson's shared style (`total`: None
    while the plan is still streaming)."""
    where = f"Scene {index}" + (f" of {total}" if total else "") + f" of the lesson \"{lesson_title}\""
    lines = [where + (f" (for {audience})" if audience else "") + f": \"{title}\".",
             f"Goal: {goal}" if goal else "", f"On screen: {on_screen}" if on_screen else ""]
    formulas = list(formulas)
    if formulas:
        lines.append("Formulas: " + "; ".join(f"$${f}$$" for f in formulas))
    if narration:
        lines.append(f"What the teacher says over it: {narration}")
    lines.append(f"About {seconds:.0f} seconds of animation. Use the scene title \"{title}\".")
    return "\n".join(x for x in lines if x) + "\n\n" + LESSON_STYLE


NARRATION_SYSTEM = """You write the voice-over of a Manim explainer video. You get the numbered statements \
of the scene's construct() that play animations, and the study notes. For each statement worth narrating, \
write one or two short spoken sentences (at most 30 words) that say what the picture shows and why it \
matters, in plain words: formulas read aloud ("x squared"), no LaTeX, no markdown. Answer with one JSON \
object only, mapping the statement number (as a string) to its sentence, e.g. {"12": "First we draw..."}. \
Leave out statements that need no words."""


def narration(statements: list[tuple[int, str]], notes: str = "") -> list[dict]:
    """Ask for the narration of a scene that has none: statement line -> spoken text (fixes/narrate.py)."""
    shown = "\n\n".join(f"[{line}]\n{source}" for line, source in statements)
    user = f"Statements (number in brackets):\n\n{shown}"
    if notes.strip():
        user += f"\n\nStudy notes:\n\n{notes.strip()[:4000]}"
    return [{"role": "system", "content": NARRATION_SYSTEM}, {"role": "user", "content": user}]
