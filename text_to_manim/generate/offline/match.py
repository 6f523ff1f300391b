"""Which gallery scene a prompt is about: TF-IDF (scikit-learn) over the registry's titles, summaries and
keywords, and the parameters the prompt names that the scene takes ("k-means with 4 clusters")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from text_to_manim import gallery

MATCH_THRESHOLD = 0.12  # below this cosine similarity nothing in the gallery is about the prompt


@dataclass
class Match:
    entry: gallery.Entry
    score: float
    terms: list[str]  # keywords of the entry found in the prompt


def _norm(text: str) -> str:
    t = text.lower().replace("–", "-").replace("—", "-")
    # "k-means" also as "kmeans" and "k means"; "gale-shapley" likewise
    t = re.sub(r"\b(\w+)-(\w+)\b", lambda m: f"{m.group(1)}{m.group(2)} {m.group(1)} {m.group(2)}", t)
    return t


def _stem(w: str) -> str:
    if len(w) > 7 and w.endswith("ional"):  # convolutional -> convolution
        return w[:-2]
    for suf in ("ings", "ing", "ies", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


STOP = set("""a an the of and or to in on for with by about me us please explain show animate visualize visualise
how what why is are be it its this that these those using use make create draw give illustrate demonstrate
video animation scene intro introduction simple basic from into as at i we you can could would""".split())


def _tokens(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", _norm(text)) if w not in STOP]


def _analyzer(text: str) -> list[str]:
    toks = _tokens(text)
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


def _doc(e: gallery.Entry) -> str:
    # keywords count thrice: they are what the gallery's authors say the scene is about
    return " ".join([e.title, e.title, e.summary, e.slug.replace("_", " ")] + list(e.keywords) * 3)


@lru_cache(maxsize=4)
def _index(key: tuple):
    from sklearn.feature_extraction.text import TfidfVectorizer

    entries = [e for e in gallery.entries() if (e.slug, e.title) in key] if key else []
    vec = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
    matrix = vec.fit_transform([_doc(e) for e in entries]) if entries else None
    return entries, vec, matrix


def match(prompt: str, entries: Optional[list] = None) -> list[Match]:
    """Gallery entries ranked by TF-IDF cosine similarity to the prompt (best first)."""
    if entries is None:
        entries = gallery.entries()
        key = tuple((e.slug, e.title) for e in entries)
        entries, vec, matrix = _index(key)
    else:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
        matrix = vec.fit_transform([_doc(e) for e in entries]) if entries else None
    if not entries or matrix is None:
        return []
    q = vec.transform([prompt])
    scores = (matrix @ q.T).toarray().ravel()
    qtok = set(_tokens(prompt))
    qnorm = " ".join(_tokens(prompt))
    out = []
    for e, s in zip(entries, scores):
        terms = []
        for kw in e.keywords:
            kt = _tokens(kw)
            if kt and (" ".join(kt) in qnorm or all(t in qtok for t in kt)):
                terms.append(kw)
        out.append(Match(e, float(s), terms))
    out.sort(key=lambda m: (-m.score, m.entry.order))
    return out


# ---------------------------------------------------------------------------------------------- params
NUM = r"(-?\d+(?:\.\d+)?)"


def extract_params(prompt: str, entry: gallery.Entry) -> tuple[dict, list[str]]:
    """Parameters named in the prompt that the scene takes; (values, notes on what was read/refused)."""
    text = _norm(prompt)
    values, notes = {}, []
    for p in entry.params:
        if p.type == "str":
            m = re.search(rf"\b{re.escape(p.name.lower())}\s*[=:]\s*([\w-]+)", text)
            found = [(m.group(1), f"{p.name}={m.group(1)}")] if m else []
        else:
            found = []
            names = [p.name.lower(), p.name.lower().replace("_", " ")] + [a.lower() for a in p.aliases]
            for alias in sorted(set(names), key=len, reverse=True):
                a = re.escape(alias)
                if len(alias) <= 2:  # "k", "n", "mu": only in an explicit assignment ("K=4", "k: 4")
                    pats = [rf"(?<![\w-]){a}\s*(?:=|:)\s*{NUM}"]
                else:
                    pats = [rf"(?<![\w.]){NUM}\s+(?:[a-z]+\s+)?{a}\b",
                            rf"\b{a}\s*(?:=|:|of|is|to|equal to|equals|set to|at)?\s*{NUM}(?![\w.])"]
                for pat in pats:
                    m = re.search(pat, text)
                    if m:
                        found.append((m.group(1), m.group(0).strip()))
                        break
                if found:
                    break
        if not found:
            continue
        raw, phrase = found[0]
        try:
            values[p.name] = p.coerce(raw)
            notes.append(f"parameter {p.name}={values[p.name]} from '{phrase}'")
        except (ValueError, TypeError) as exc:
            notes.append(f"'{phrase}' asks for {p.name}={raw}, which the scene cannot take ({exc}); "
                         f"keeping the default {p.name}={p.default}")
    return values, notes
