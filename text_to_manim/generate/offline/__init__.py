"""The offline provider, in three rooms: `match` (which gallery scene a prompt is about, and its
parameters), `formula` (reading a formula with certainty) and `template` (the formula scene), with
`provider` deciding between them and streaming the answer like a model's."""
from text_to_manim.generate.offline.formula import FunctionOf, read_function, split_top
from text_to_manim.generate.offline.match import MATCH_THRESHOLD, Match, extract_params, match
from text_to_manim.generate.offline.provider import NO_MODEL, OfflineProvider, Plan
from text_to_manim.generate.offline.template import describe, formula_scene

__all__ = ["MATCH_THRESHOLD", "NO_MODEL", "FunctionOf", "Match", "OfflineProvider", "Plan", "describe",
           "extract_params", "formula_scene", "match", "read_function", "split_top"]
