"""Deterministic fixes that need no model, each recorded as a `Fix(what, line)`.

    new_code, fixes = sanitize(code)

The chain of the fixers in this folder, each named for what it fixes. Phases (each re-reads the code the
previous one produced, so fixes compose):
0. prose and Markdown fences around the code removed (recover.strip_prose);
1. characters that break parsing (characters.py): smart quotes as delimiters, U+2212 minus, ×, ÷, ≤, ≥, ≠, NBSP; then
   Python 3.12 f-strings rewritten for 3.11 (fstrings.modernize); then code that still does not parse
   recovered: a cut-off reply keeps its complete statements, a bracket left open mid-file is closed
   (recover.recover);
2. old imports (imports.py): manimlib / big_ol_pile_of_manim_imports / manim_imports_ext -> `from manim import *`;
3. old names (names.py): ShowCreation -> Create, TextMobject -> Tex, TexMobject -> MathTex, CircleIndicate ->
   Circumscribe, ... (never a name the code defines itself; an import from a Manim module that lacks
   the new name imports it from `manim`);
4. TeX strings (tex_strings.py; found by tokenizing, with the call they are an argument of): non-raw strings with TeX
   escapes (`"\\frac"` is a form feed + "rac") made raw, `$…$` stripped inside MathTex, unicode math
   (α, ∫, ≤, ², …) to TeX commands, unbalanced braces and \\left/\\right closed;
5. old manimgl API shapes (manimgl_shapes.py; via the AST, rewritten in the source so formatting and
   comments survive): CONFIG dicts -> class attributes, GraphScene -> Scene + Axes, get_graph -> plot,
   x_min/x_max -> x_range, FadeInFrom / FadeOutAndShift / FadeInFromDown -> FadeIn/FadeOut(shift=...), ApplyMethod and
   `self.play(m.shift, UP)` -> `m.animate.shift(UP)`, scale_about_point -> scale(about_point=);
6. a missing `from manim import *` (imports.py);
7. the API of the installed Manim (api_fixes): missing imports, bare method calls, manimgl constants,
   colour names, helpers used before their definition, renamed/moved/removed keyword options, removed
   methods, camera-driven Scene bases, manimgl-only statements; render settings the scene sets for
   itself (pixel size, frame rate, renderer, output) left to the app (render_settings);
8. LaTeX that would not compile (tex_fixes): Tex holding math, MathTex holding prose, packages,
   nested align environments, math inside \\text{}, emoji.
What only shows at run time (missing files, 2-D points, options passed through **kwargs) is handled by
the shims inside the sandbox (sandbox/runner/shims.py) and reported the same way; what fails at run time
anyway gets the error-driven repair (fixes/from_error.py, scene/error_repair.py).

Lines in the fixes refer to the returned code.
"""

from __future__ import annotations

from text_to_manim.events import Fix
from text_to_manim.fixes import api_fixes, fstrings, recover, render_settings, tex_fixes
from text_to_manim.fixes.characters import fix_characters
from text_to_manim.fixes.imports import add_missing_manim_import, fix_old_imports
from text_to_manim.fixes.manimgl_shapes import fix_config_dicts, fix_graphscene, fix_old_calls
from text_to_manim.fixes.names import fix_old_names
from text_to_manim.fixes.tex_strings import fix_tex_strings


def sanitize(code: str) -> tuple[str, list[Fix]]:
    """Apply every deterministic fix; return the new code and what was changed (lines of the new code)."""
    fixes: list[Fix] = []
    code = code.replace("\r\n", "\n")
    code, fixes = recover.strip_prose(code)
    code = fix_characters(code, fixes)
    code, more = fstrings.modernize(code)  # before recovery: a 3.12 f-string is not a cut-off reply
    fixes.extend(more)
    code, more = recover.recover(code)
    fixes.extend(more)
    code = fix_old_imports(code, fixes)
    code = fix_old_names(code, fixes)
    code = fix_tex_strings(code, fixes)
    code = fix_config_dicts(code, fixes)
    code = fix_graphscene(code, fixes)
    code = fix_old_calls(code, fixes)
    code = add_missing_manim_import(code, fixes)
    code = api_fixes.fix_api(code, fixes)
    code = render_settings.leave_to_the_app(code, fixes)
    code = tex_fixes.fix_tex(code, fixes)
    if code and not code.endswith("\n"):
        code += "\n"
    fixes.sort(key=lambda f: f.line or 0)
    return code, fixes
