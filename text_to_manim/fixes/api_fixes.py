"""Rewrite scene code for the Manim that will run it (Manim Community 0.19+), read from Manim itself.

The chain of the API fixers (unknown_names, options, scene_bases; scopes is what they share). Each fix is a
rule that is safe without knowing what the author meant beyond what the code says, and
each is recorded as a `Fix(what, line)`:
- names: a missing `import math` / `random` / `itertools` …, a bare call of the class's own method
  (`helper()` -> `self.helper()`), manimgl constants (`FRAME_WIDTH` -> `config.frame_width`), colour
  names Manim lacks (`DARK_GREEN` -> `GREEN_E`, nearest in Manim's own colour table), case slips
  (`MathTeX` -> `MathTex`), a helper used before its definition (the definition moves up);
- keyword options: renamed or moved options of Manim calls (`Axes(x_axis_width=…)` -> `x_length`,
  `include_numbers` -> `axis_config`, `Code(code=…)` -> `code_string` …), typos of an option, and
  options the installed Manim does not have (removed, with its current signature in the fix);
- removed methods and shapes: `scale_in_place`, `add_coordinate_labels`, `get_area(graph, a, b)`,
  `FadeIn(m, UP)`, `self.embed()`, `self.camera.frame` in a plain Scene, 3D camera calls in a 2D Scene,
  an `if __name__ == "__main__":` block (it runs `manim` through os.system; a render never runs it).
What no rule can fix is left to the validate error, which names the line and the current signature.
"""

from __future__ import annotations

from text_to_manim.events import Fix
from text_to_manim.fixes.options import fix_calls
from text_to_manim.fixes.scene_bases import fix_frame_3d, fix_scenes
from text_to_manim.fixes.unknown_names import fix_definition_order, fix_names


def fix_api(code: str, fixes: list[Fix]) -> str:
    code = fix_names(code, fixes)
    code = fix_definition_order(code, fixes)
    code = fix_calls(code, fixes)
    code = fix_scenes(code, fixes)
    code = fix_frame_3d(code, fixes)
    return code
