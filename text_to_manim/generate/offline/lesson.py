"""Lessons without a model: a storyboard from the gallery and the formula templates, and the title card.

- `plan(prompt)`: the gallery scenes the prompt is about (TF-IDF, `match`), in the gallery's teaching order,
  then a formula scene per formula of the prompt; too few matches are filled with the best match's
  neighbours in its part of the gallery (setup -> k-means -> PCA ...);
- `plan_document(doc)`: one scene per section of a source document: its formula's scene when it has one,
  else the gallery scene the section is about, else a text card of the section;
- `title_card(scene)`: a small trusted scene that shows a planned scene's title, what it would have shown
  and its formulas (used for offline text sections and for any scene that failed all its rounds).
"""
from __future__ import annotations

import textwrap
from typing import Any, Optional

from text_to_manim import gallery
from text_to_manim.events import PlannedScene, Storyboard
from text_to_manim.generate.offline.match import MATCH_THRESHOLD, match
from text_to_manim.generate.prompts import LESSON_MAX_SCENES, LESSON_MIN_SCENES
from text_to_manim.tex import latex

CARD_SCENE = "TitleCard"
CARD_SECONDS = 4.0
NO_TOPIC = ("nothing in the gallery is about this topic and it holds no formula; offline lessons are made of "
            "gallery scenes and formula scenes (see `gallery`), or give a document with --from")


def _gallery_scene(e: gallery.Entry) -> PlannedScene:
    return PlannedScene(e.title, e.summary, f"the gallery scene '{e.slug}'", (), e.summary, 30.0, e.slug)


def _formula_scene(formula: str, title: str = "", text: str = "") -> PlannedScene:
    return PlannedScene(title or "The formula", text[:300] or f"read ${formula}$ term by term",
                        "the formula written, its parts explained", (formula,), text[:600], 15.0)


def plan(prompt: str, scenes: Optional[int] = None) -> Storyboard:
    """A lesson of gallery and formula scenes; ValueError(NO_TOPIC) when the gallery has nothing on it."""
    want = scenes or 4
    formulas = latex.find_formulas(prompt)[:2]
    ranked = match(prompt)
    picked = [m.entry for m in ranked if m.score >= MATCH_THRESHOLD or m.terms][:max(0, want - len(formulas))]
    if picked and len(picked) + len(formulas) < min(want, LESSON_MIN_SCENES):
        best = picked[0]
        near = sorted((e for e in gallery.entries() if e.category == best.category and e not in picked),
                      key=lambda e: abs(e.order - best.order))
        picked += near[:min(want, LESSON_MIN_SCENES) - len(picked) - len(formulas)]
    if not picked and not formulas:
        raise ValueError(NO_TOPIC)
    board = [_gallery_scene(e) for e in sorted(picked, key=lambda e: e.order)]
    board += [_formula_scene(f) for f in formulas]
    title = picked[0].title if picked and not formulas else (prompt.strip().splitlines() or ["Lesson"])[0][:80]
    return Storyboard(title, "", tuple(board[:want or LESSON_MAX_SCENES]))


def plan_document(doc: Any, scenes: Optional[int] = None) -> Storyboard:
    """One scene per section of a `pipeline.storyboard.Document` (title, sections of title, text, formulas), in
    the document's order (cut to `scenes`)."""
    out = []
    for s in doc.sections[:scenes or LESSON_MAX_SCENES]:
        if s.formulas:
            out.append(_formula_scene(s.formulas[0], s.title, s.text))
            continue
        best = next(iter(match(f"{s.title}\n{s.text}")), None)
        if best is not None and (best.score >= 2 * MATCH_THRESHOLD or best.terms):
            e = best.entry
            out.append(PlannedScene(s.title, s.text[:300], f"the gallery scene '{e.slug}'", (), s.text[:600],
                                    30.0, e.slug))
        else:
            out.append(PlannedScene(s.title, s.text[:300], "a text card", (), s.text[:600], CARD_SECONDS))
    return Storyboard(doc.title, "", tuple(out))


def _lines(text: str, width: int = 46, most: int = 4) -> list[str]:
    lines = textwrap.wrap(" ".join(text.split()), width)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:width - 1].rstrip() + "…"
    return lines


def title_card(scene: PlannedScene, note: str = "", with_formulas: bool = True) -> str:
    """The card's code: the scene's title, what it would have shown (its goal, else what is on screen), its
    formulas (as MathTex, compiled through the formula cache like any scene's; as plain text without
    `with_formulas`), and `note` in small type. Every string is a Python literal made by repr()."""
    body = _lines(scene.goal or scene.on_screen or scene.narration)
    formulas = list(scene.formulas[:2])
    if with_formulas:
        maths = ", ".join(f"MathTex({f!r}, font_size=40)" for f in formulas)
    else:
        maths = ", ".join(f"Text({f!r}, font_size=24, color=YELLOW)" for f in formulas)
    note_lines = _lines(note, 70, 1) if note else []
    return f'''from manim import *


class {CARD_SCENE}(Scene):
    def construct(self):
        title = Text({scene.title[:60]!r}, font_size=40).to_edge(UP)
        body = VGroup(*[Text(line, font_size=28) for line in {body!r}]).arrange(DOWN, buff=0.2)
        maths = VGroup({maths})
        parts = [m for m in (body, maths.arrange(DOWN, buff=0.3) if len(maths) else maths) if len(m)]
        content = VGroup(*parts).arrange(DOWN, buff=0.5) if parts else VGroup()
        if len(content):
            content.scale_to_fit_width(min(content.width, 12)).next_to(title, DOWN, buff=0.6)
        note = VGroup(*[Text(line, font_size=20, color=GRAY) for line in {note_lines!r}]).to_edge(DOWN)
        self.play(FadeIn(title), FadeIn(content), FadeIn(note), run_time=1)
        self.wait({CARD_SECONDS - 2:.1f})
        self.play(FadeOut(title), FadeOut(content), FadeOut(note), run_time=1)
'''
