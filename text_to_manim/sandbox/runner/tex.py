"""Formulas: the shared read-only cache first, else compiled privately; and the trusted `texbatch` step."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .protocol import emit

# -- Speed: what Manim does that a run does not need, or does in a way that races ---------------------

def tex_source(template, expression: str, environment: str | None) -> str:
    """The whole TeX document Manim compiles for a formula; its hash names the cached SVG."""
    if environment is not None:
        return template.get_texcode_for_expression_in_env(expression, environment)
    return template.get_texcode_for_expression(expression)



def preamble_format(source: str, formats: Path | None) -> Path | None:
    """The trusted step's dump of this document's preamble (a LaTeX format: the packages loaded once),
    if it made one: latex then starts in a third of the time and writes the same DVI."""
    if formats is None:
        return None
    preamble = source.partition(r"\begin{document}")[0]
    fmt = formats / (hashlib.sha256(preamble.encode()).hexdigest()[:16] + ".fmt")
    return fmt if fmt.is_file() else None



def dump_preamble_format(source: str, formats: Path) -> None:
    """Make the format for this document's preamble (mylatexformat stops at \begin{document})."""
    work = Path(tempfile.mkdtemp(prefix="fmt-", dir=formats))
    try:
        name = hashlib.sha256(source.partition(r"\begin{document}")[0].encode()).hexdigest()[:16]
        (work / "preamble.tex").write_text(source, encoding="utf-8")
        subprocess.run(["etex", "-ini", "-no-shell-escape", "-interaction=batchmode", f"-jobname={name}", "&latex",
                        "mylatexformat.ltx", "preamble.tex"], cwd=work, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=TEX_SECONDS)
        if (work / f"{name}.fmt").is_file():
            os.replace(work / f"{name}.fmt", formats / f"{name}.fmt")
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)



def compile_formula(source: str, name: str, template, cache: Path, formats: Path | None = None) -> Path:
    """Compile one formula in a folder of its own and move the SVG into `cache` whole.

    Manim compiles in the cache folder itself and then deletes every file there that is not .svg/.tex:
    two processes sharing that folder delete each other's .dvi between latex and dvisvgm ("Your
    installation does not support converting .dvi files to SVG", issue 12.3). Here nothing is shared
    until the finished SVG is renamed into place, which is atomic. `formats`: where the trusted step
    keeps preamble formats (see preamble_format)."""
    from manim.utils import tex_file_writing as tfw

    work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=cache))
    tex = work / f"{name}.tex"
    tex.write_text(source, encoding="utf-8")
    fmt = template.output_format
    compilers = [template.tex_compiler] if isinstance(template.tex_compiler, str) else list(template.tex_compiler)
    preamble = preamble_format(source, formats) if compilers == ["latex"] else None
    for compiler in compilers:
        cmd = tfw.make_tex_compilation_command(compiler, fmt, tex, work)
        cmd[1:1] = ["-no-shell-escape"] + ([f"-fmt={preamble.with_suffix('')}"] if preamble else [])
        if subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=TEX_SECONDS).returncode != 0:
            log = tex.with_suffix(".log")
            tfw.print_all_tex_errors(log, compiler, tex)
            raise ValueError(f"{compiler} error converting to {fmt[1:]}. See log output above or the log file: {log}")
    svg = tex.with_suffix(".svg")
    proc = subprocess.run(["dvisvgm", *(["--pdf"] if fmt == ".pdf" else []), "--page=1", "--no-fonts",
                           "--verbosity=1", f"--output={svg}", str(tex.with_suffix(fmt))],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TEX_SECONDS)
    if not svg.is_file():
        raise ValueError(f"dvisvgm could not turn the compiled formula into SVG (exit code {proc.returncode}): "
                         f"{(proc.stderr or proc.stdout).strip()[-600:] or 'no output'}")
    final = cache / f"{name}.svg"
    os.replace(svg, final)
    shutil.rmtree(work, ignore_errors=True)
    return final



TEX_COUNTS = {"shared": 0, "private": 0, "compiled": 0}  # where this run's formulas came from

COMPILED_SOURCES: list = []  # what this run compiled privately, for the trusted step to adopt

TEX_SECONDS = 60  # one latex or dvisvgm run



def install_tex_cache(shared: Path | None) -> None:
    """Formulas come from the read-only shared cache when the trusted TeX step compiled them (same TeX
    source, same template, same Manim), else compile into this job's private cache."""
    from manim import config
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing as tfw

    def tex_to_svg_file(expression, environment=None, tex_template=None):
        template = tex_template if tex_template is not None else config["tex_template"]
        source = tex_source(template, expression, environment)
        name = tfw.tex_hash(source)
        if shared is not None and (shared / f"{name}.svg").is_file():
            TEX_COUNTS["shared"] += 1
            return shared / f"{name}.svg"
        private = config.get_dir("tex_dir")
        private.mkdir(parents=True, exist_ok=True)
        svg = private / f"{name}.svg"
        if svg.is_file():
            TEX_COUNTS["private"] += 1
            return svg
        svg = compile_formula(source, name, template, private, shared / "fmt" if shared else None)
        TEX_COUNTS["compiled"] += 1
        COMPILED_SOURCES.append(source)
        return svg

    tfw.tex_to_svg_file = tex_to_svg_file
    tex_mobject.tex_to_svg_file = tex_to_svg_file



# -- The trusted TeX step -------------------------------------------------------------------------------
# `texbatch` mode never loads a scene. It reads JSON on stdin: "items", formulas written literally in a
# scene ({"cls": "MathTex", "args": [...], "kwargs": {...}}), which Manim's own classes turn into the
# TeX documents Manim would compile, and "sources", TeX documents a job compiled privately at run time.
# It compiles those the shared cache lacks into it (--shared-tex, writable only here), naming each by the
# hash of its source as Manim does. Inert formulas (allow-listed commands, balanced braces, Manim's
# default preamble) share one latex run, a page each, and one dvisvgm run; any error there and each is
# compiled alone, as is every other document, so no formula can change how another is drawn. It answers
# {"event": "tex", "items": [{"names": [...]}|{"error": e}], "compiled": n}.

TEX_CLASSES = ("MathTex", "Tex", "SingleStringMathTex", "Title", "BulletedList")

STANDALONE = r"\documentclass[preview]{standalone}"

BATCH_CLASS = r"\documentclass[preview,multi=t2mpage]{standalone}"

INERT_COMMANDS = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho
varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon
Phi Psi Omega frac dfrac tfrac cfrac sqrt sum prod coprod int iint iiint oint bigcup bigcap bigoplus
bigotimes lim limsup liminf inf sup max min log ln lg exp sin cos tan cot sec csc arcsin arccos arctan
sinh cosh tanh coth det dim ker deg gcd Pr arg hom mod bmod pmod left right big Big bigg Bigg bigl
bigr Bigl Bigr biggl biggr middle cdot cdots ldots dots ddots vdots times div pm mp ast star circ bullet
oplus otimes odot wedge vee leq geq neq le ge ne leqslant geqslant approx equiv sim simeq cong propto ll
gg subset supset subseteq supseteq subsetneq in notin ni cup cap setminus emptyset varnothing forall
exists nexists neg lnot land lor implies iff to mapsto gets rightarrow leftarrow Rightarrow Leftarrow
leftrightarrow Leftrightarrow longrightarrow Longrightarrow longleftarrow longleftrightarrow uparrow
downarrow nearrow searrow infty partial nabla hbar ell Re Im aleph prime angle triangle square mathbb
mathbf mathrm mathit mathcal mathfrak mathsf mathtt boldsymbol operatorname text textbf textit textrm
textsf texttt mbox hat bar vec dot ddot tilde widehat widetilde overline underline overbrace underbrace
overrightarrow overleftarrow binom tbinom dbinom displaystyle textstyle scriptstyle quad qquad mid
parallel perp vert Vert lvert rvert lVert rVert langle rangle lfloor rfloor lceil rceil lbrace rbrace
colon top bot models vdash dagger intercal
""".split())

INERT_SYMBOLS = frozenset(",;!:{}%$&#_ |\\")

# How TeX splits the text into tokens: Manim's own group marks (a fixed dvisvgm raw special, whole), a
# control word, a control symbol, one character.
TEX_TOKEN = re.compile(r"\\special\{dvisvgm:raw (?:<g id='unique\d+(?:substring)?'>|</g>)\}|\\[A-Za-z]+|\\.|.", re.S)

BATCH_ENVIRONMENTS = ("align*", "center")  # MathTex's and Tex's defaults



def inert_tex(text: str) -> bool:
    """True if this TeX can only typeset: allow-listed commands (none assigns, defines or reads), balanced
    braces and \\left/\\right, no math shifts, parameters, comments, ^^ escapes or control characters
    (a carriage return ends TeX's line like a comment). Such formulas may share one latex run."""
    if "^^" in text or any(not (c.isprintable() or c in "\n\t") for c in text):
        return False
    depth = lefts = 0
    for token in TEX_TOKEN.findall(text):
        if token.startswith(r"\special{"):
            continue
        if token.startswith("\\"):
            if token[1:] not in INERT_COMMANDS and token[1:] not in INERT_SYMBOLS:
                return False
            lefts += {r"\left": 1, r"\right": -1}.get(token, 0)
        elif token in "$#%":
            return False
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0 or lefts < 0:
            return False
    return depth == 0 and lefts == 0



def page_body(source: str) -> str:
    """What a document contributes to a shared latex run: everything between \\begin{document} and the
    last \\end{document}. The inert check reads exactly this text (no parameter is trusted on its own)."""
    return source.split(r"\begin{document}", 1)[1].rsplit(r"\end{document}", 1)[0]



def batchable(source: str, preamble: str) -> bool:
    """Issue 16.2: a document may be a page of a shared latex run only if it is Manim's default preamble
    and a body that is one allowed environment around inert TeX, checked on the whole text that is
    pasted into the batch. Whatever reached it (formula, arg_separator, tex_environment, substrings,
    colour maps, a run-time source) is checked as the document it became."""
    head, sep, _ = source.partition(r"\begin{document}")
    if not sep or head != preamble:
        return False
    env = re.fullmatch(r"\s*\\begin\{([^{}]*)\}(.*)\\end\{\1\}\s*", page_body(source), re.S)
    return env is not None and env.group(1) in BATCH_ENVIRONMENTS and inert_tex(env.group(2))



class _Recorded(Exception):
    """Raised by the recording tex_to_svg_file: the TeX document is all the trusted step wants."""



def _tex_documents(items: list) -> list:
    """(source, name) per item as Manim would compile it, or an error string."""
    import manim
    from manim import config
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing as tfw

    def record(expression, environment=None, tex_template=None):
        template = tex_template if tex_template is not None else config["tex_template"]
        source = tex_source(template, expression, environment)
        raise _Recorded(source, tfw.tex_hash(source))

    original = tfw.tex_to_svg_file
    tfw.tex_to_svg_file = tex_mobject.tex_to_svg_file = record
    out = []
    try:
        for item in items:
            try:
                if item.get("cls") not in TEX_CLASSES:
                    raise ValueError(f"not a TeX class: {item.get('cls')!r}")
                getattr(manim, item["cls"])(*item.get("args", []), **item.get("kwargs", {}))
                out.append("no formula")
            except _Recorded as rec:
                out.append(rec.args)
            except Exception as exc:  # a literal Manim itself refuses: the scene will say so
                out.append(f"{type(exc).__name__}: {exc}")
    finally:
        tfw.tex_to_svg_file = tex_mobject.tex_to_svg_file = original
    return out



def _compile_batch(docs: list, cache: Path) -> list:
    """One latex run with a page per formula, one dvisvgm run; [] unless every page came out clean."""
    work = Path(tempfile.mkdtemp(prefix="batch-", dir=cache))
    try:
        pre = docs[0][0].split(r"\begin{document}", 1)[0].replace(STANDALONE, BATCH_CLASS, 1)
        pages = "".join(r"\begin{t2mpage}" + page_body(src) + "\\end{t2mpage}\n" for src, _ in docs)
        (work / "batch.tex").write_text(pre + "\\begin{document}\n" + pages + "\\end{document}\n", encoding="utf-8")
        latex = subprocess.run(["latex", "-no-shell-escape", "-interaction=batchmode", "batch.tex"], cwd=work,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=TEX_SECONDS)
        log = (work / "batch.log").read_text(errors="replace") if (work / "batch.log").exists() else "!"
        if latex.returncode != 0 or any(line.startswith("!") for line in log.splitlines()):
            return []
        subprocess.run(["dvisvgm", "--page=1-", "--no-fonts", "--verbosity=0", "--output=page-%p.svg", "batch.dvi"],
                       cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=TEX_SECONDS)
        pages = {int(f.stem[5:]): f for f in work.glob("page-*.svg") if f.stem[5:].isdigit()}  # %p pads
        if sorted(pages) != list(range(1, len(docs) + 1)):
            return []
        for (_, name), svg in zip(docs, (pages[k] for k in sorted(pages))):
            os.replace(svg, cache / f"{name}.svg")
        return [name for _, name in docs]
    except subprocess.TimeoutExpired:
        return []
    finally:
        shutil.rmtree(work, ignore_errors=True)



def tex_batch(cache: Path) -> int:
    from manim import config
    from manim.utils import tex_file_writing as tfw

    request = json.loads(sys.stdin.read() or "{}")
    items, sources = request.get("items", []), [s for s in request.get("sources", []) if isinstance(s, str)]
    docs = _tex_documents(items)
    default = tex_source(config["tex_template"], "", "align*")
    preamble = default.partition(r"\begin{document}")[0]
    formats = cache / "fmt"
    formats.mkdir(parents=True, exist_ok=True)
    if preamble_format(default, formats) is None:
        dump_preamble_format(default, formats)
    todo: dict = {}  # name -> (source, may share a latex run)
    for item, doc in zip(items, docs):
        if isinstance(doc, tuple):
            todo[doc[1]] = (doc[0], batchable(doc[0], preamble))
    for src in sources:
        todo[tfw.tex_hash(src)] = (src, batchable(src, preamble))
    todo = {name: v for name, v in todo.items() if not (cache / f"{name}.svg").exists()}
    batch = [(src, name) for name, (src, inert) in todo.items() if inert]
    done = set(_compile_batch(batch, cache)) if len(batch) > 1 else set()
    for name, (src, _) in todo.items():
        if name not in done:
            try:
                compile_formula(src, name, config["tex_template"], cache, formats)
                done.add(name)
            except Exception as exc:  # the scene compiles it privately and reports TeX's own error
                print(f"{name}: {exc}", file=sys.stderr)
                for left in cache.glob(f"{name}-*"):
                    shutil.rmtree(left, ignore_errors=True)
    answers = [{"names": [doc[1]]} if isinstance(doc, tuple) and (cache / f"{doc[1]}.svg").exists()
               else {"error": doc if isinstance(doc, str) else "did not compile"} for doc in docs]
    emit("tex", items=answers, compiled=len(done))
    return 0
