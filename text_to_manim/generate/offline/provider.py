"""The offline provider: no model, no network, no key. It never pretends to be a model.

It answers a prompt in one of three honest ways:
- a gallery scene, matched by TF-IDF (scikit-learn) over the registry's titles, summaries and keywords,
  with parameters named in the prompt applied where the scene takes them ("k-means with 4 clusters");
- a formula template, when the prompt carries LaTeX and no gallery scene matches: a generated scene that
  writes the formula, explains its parts and, when it is a function of one variable that we can read
  with certainty, plots it;
- no match: the closest gallery scenes, and what to do instead (ok=False).

`plan(prompt)` decides; `stream_plan(plan)` yields the reasoning (what was matched and why), then the answer
text in the same response format a model uses (`prompts.py`), so the pipeline treats both alike. The
`Provider` shape, `stream(messages, cancel)`, does both for the last user message.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from text_to_manim import gallery
from text_to_manim.events import Delta, ReasoningDelta, TextDelta
from text_to_manim.generate.offline.match import MATCH_THRESHOLD, Match, extract_params, match
from text_to_manim.generate.offline.template import formula_scene
from text_to_manim.generate.prompts import CODE_HEADING, NOTES_HEADING
from text_to_manim.generate.providers import Cancelled
from text_to_manim.tex import latex

CHUNK = 24  # characters per streamed delta
NO_MODEL = "No model is used."


@dataclass
class Plan:
    kind: str  # "gallery" | "formula" | "none"
    reasoning: str
    ok: bool = True
    message: str = ""
    entry: Optional[gallery.Entry] = None
    params: dict[str, object] = field(default_factory=dict)
    code: str = ""
    scene: Optional[str] = None
    notes_md: str = ""
    notes_md_path: Optional[Path] = None
    notes_tex_path: Optional[Path] = None
    matches: list[Match] = field(default_factory=list)  # best first
    formulas: list[str] = field(default_factory=list)

    def answer(self) -> str:
        """The plan in the model response format."""
        if not self.code:
            return ""
        text = f"{CODE_HEADING}\n```python\n{self.code.rstrip()}\n```\n"
        if self.notes_md:
            text += f"{NOTES_HEADING}\n{self.notes_md.strip()}\n"
        return text


class OfflineProvider:
    name = "offline"
    model = "offline-gallery"

    def __init__(self, entries: Optional[list] = None, threshold: float = MATCH_THRESHOLD):
        self.entries = entries
        self.threshold = threshold

    def plan(self, prompt: str, *, formulas: Optional[list[str]] = None, formula_ok: Optional[dict] = None,
             previous_code: Optional[str] = None) -> Plan:
        """formulas/formula_ok come from the anchor stage (find_formulas + compile_batch)."""
        formulas = latex.find_formulas(prompt) if formulas is None else formulas
        matches = match(prompt, self.entries)
        best = matches[0] if matches else None
        why = []
        if previous_code:
            why.append("Offline mode cannot edit code (that needs a model); treating this as a new request.")
        if best and best.score >= self.threshold and (not formulas or best.score >= 2 * self.threshold
                                                      or best.terms):
            e = best.entry
            params, pnotes = extract_params(prompt, e)
            terms = ", ".join(f"'{t}'" for t in best.terms[:4]) or "its title and summary"
            why.append(f"Offline gallery: matched '{e.slug}' (\"{e.title}\", TF-IDF {best.score:.2f} on "
                       f"keywords {terms}).")
            if len(matches) > 1:
                why.append(f"Next closest: '{matches[1].entry.slug}' ({matches[1].score:.2f}).")
            why += [p[0].upper() + p[1:] + "." for p in pnotes]
            unused = [p for p in e.params if p.name not in params]
            if unused:
                why.append("Defaults kept for " + ", ".join(f"{p.name}={p.default}" for p in unused) + ".")
            why.append(NO_MODEL + " The scene's code is the gallery's, with the parameters above applied.")
            code = gallery.with_params(e.code, params) if params else e.code
            md_path, tex_path = e.notes_md, e.notes_tex
            notes_md = md_path.read_text(encoding="utf-8") if md_path else ""
            if not md_path:
                why.append("(This gallery scene has no study notes in documentation/ yet.)")
            return Plan("gallery", "\n".join(why) + "\n", entry=e, params=params, code=code, scene=e.scene,
                        notes_md=notes_md, notes_md_path=md_path, notes_tex_path=tex_path, matches=matches[:3],
                        formulas=formulas)
        usable = [f for f in formulas if (formula_ok or {}).get(f, True)]
        if usable:
            f = max(usable, key=len)
            code, notes_md, fn, caps = formula_scene(prompt, f)
            if best and best.score >= self.threshold:
                why.append(f"Offline gallery: the closest scene, '{best.entry.slug}' (TF-IDF {best.score:.2f}), "
                           "shares none of its keywords with the prompt, so it is not what was asked for.")
            elif best:
                why.append(f"Offline gallery: no scene is about this prompt (closest '{best.entry.slug}' at "
                           f"TF-IDF {best.score:.2f}, below {self.threshold:.2f}).")
            why.append(f"Formula template: the prompt carries LaTeX, ${f}$; it compiled, so the scene writes it "
                       f"and points at its {len(caps)} part(s).")
            if fn:
                why.append(f"It reads as a function of {fn.var} with certainty ({fn.expr}), so the scene also "
                           f"plots it for {fn.var} in [{fn.x_range[0]:g}, {fn.x_range[1]:g}].")
            else:
                why.append("It is not a function of one variable that the offline reader understands with "
                           "certainty, so there is no plot (better none than a wrong one).")
            why.append(NO_MODEL)
            return Plan("formula", "\n".join(why) + "\n", code=code, scene="FormulaScene", notes_md=notes_md,
                        matches=matches[:3], formulas=formulas)
        bad = [f for f in formulas if not (formula_ok or {}).get(f, True)]
        related = [m for m in matches[:3] if m.score > 0]
        closest = ", ".join(f"'{m.entry.slug}' ({m.entry.title}, {m.score:.2f})" for m in related)
        if bad:
            why.append(f"The formula ${bad[0]}$ does not compile, and the offline provider cannot fix LaTeX.")
        why.append("Offline gallery: nothing matches this prompt closely enough"
                   + (f" (best TF-IDF {best.score:.2f}, needs {self.threshold:.2f})" if best else "") + ".")
        if closest:
            why.append(f"Closest gallery scenes: {closest}.")
        else:
            titles = ", ".join(m.entry.title for m in sorted(matches, key=lambda m: m.entry.order)[:8])
            why.append(f"No gallery scene shares a word with it. The gallery has: {titles}.")
        why.append("Offline mode only knows the gallery and formula templates (a prompt with $...$ LaTeX). "
                   "For any other concept set DEEPSEEK_API_KEY (or LLM_BASE_URL/LLM_MODEL/LLM_API_KEY) in .env "
                   "and use --provider openai. " + NO_MODEL)
        msg = ("offline provider: no gallery scene or formula template matches this prompt"
               + (f"; closest: {', '.join(m.entry.slug for m in related)}" if related else "")
               + "; set DEEPSEEK_API_KEY to use a model")
        if bad:
            msg = "the formula does not compile and offline mode cannot repair it; " + msg
        return Plan("none", "\n".join(why) + "\n", ok=False, message=msg, matches=matches[:3], formulas=formulas)

    def stream(self, messages: list[dict], cancel: Optional[threading.Event] = None,
               *, max_tokens: Optional[int] = None) -> Iterator[Delta]:
        """The `Provider` shape: plans the last user message, then streams that plan (`max_tokens` does not
        apply: the answer is a gallery scene or a template, never cut)."""
        prompt = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
        yield from self.stream_plan(self.plan(prompt), cancel)

    def stream_plan(self, plan: Plan, cancel: Optional[threading.Event] = None
                    ) -> Iterator[ReasoningDelta | TextDelta]:  # never Retrying: nothing to retry
        """Reasoning in small deltas, then the answer text (code, notes): the UI shows it like a model's."""
        answer = plan.answer()
        pieces: list[ReasoningDelta | TextDelta] = [
            *(ReasoningDelta(plan.reasoning[i:i + CHUNK]) for i in range(0, len(plan.reasoning), CHUNK)),
            *(TextDelta(answer[i:i + CHUNK * 8]) for i in range(0, len(answer), CHUNK * 8))]
        for piece in pieces:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            yield piece
