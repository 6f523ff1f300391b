"""The trusted TeX step's cost on formula-heavy scenes, cold and warm shared cache (issue 16.2).

Cold: a fresh shared cache, so every literal formula (and the digits numbers are made of) is compiled by
the trusted step; warm: the same scenes again, everything found in the index. Each measurement is the best
of --repeat runs, each in a fresh media folder. --repo measures another checkout (e.g. main, before).
--alone: what dropping batching would cost, the same documents compiled one latex run each against one
shared run (the runner's own functions, on the host, no sandbox; with the preamble format for both).
Usage: python bench/tex_cache_bench.py [--repeat N] [--repo /work/main] [--alone]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SCENES = [HERE / "bench" / "model_scene_200.py"]


def heavy_scene(n: int) -> str:
    """n distinct inert formulas of the kind lectures show, each written literally."""
    lines = "".join(f"        self.add(MathTex(r\"\\int_0^{{{i}}} x^{{2}}\\,dx = \\frac{{{i}^3}}{{3}}\", "
                    f"r\"+ \\sum_{{k=1}}^{{{i}}} k\"))\n" for i in range(n))
    return f"from manim import *\n\nclass Heavy(Scene):\n    def construct(self):\n{lines}        self.wait(0.1)\n"


def measure(codes: list[str], repeat: int) -> dict:
    from text_to_manim import config
    from text_to_manim.tex import formula_cache

    best: dict = {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="texbench-") as tmp:
            s = config.load(media_dir=Path(tmp) / "media", db_path=Path(tmp) / "h.sqlite3", provider="offline",
                            api_key="")
            for label in ("cold", "warm"):
                start = time.perf_counter()
                stats = [formula_cache.precompile(code, s) for code in codes]
                secs = time.perf_counter() - start
                formulas = sum(st.formulas for st in stats)
                row = {"seconds": round(secs, 3), "formulas": formulas,
                       "compiled": sum(st.compiled for st in stats),
                       "formulas_per_s": round(formulas / secs, 1) if secs else None,
                       "errors": [st.error for st in stats if st.error]}
                if label not in best or secs < best[label]["seconds"]:
                    best[label] = row
    return best


def batch_vs_alone(codes: list[str]) -> dict:
    from manim import config

    from text_to_manim.sandbox.runner import tex
    from text_to_manim.tex import formula_cache

    items = [it for code in codes for it in formula_cache.collect(code)]
    docs = [d for d in tex._tex_documents(items) if isinstance(d, tuple)]
    preamble = tex.tex_source(config["tex_template"], "", "align*").partition(r"\begin{document}")[0]
    start = time.perf_counter()
    inert = [d for d in dict(((n, (s, n)) for s, n in docs)).values() if tex.batchable(d[0], preamble)]
    out = {"documents": len(docs), "batchable": len(inert),
           "inert_check_ms": round((time.perf_counter() - start) * 1000, 2)}
    with tempfile.TemporaryDirectory(prefix="texbench-") as tmp:
        cache = Path(tmp)
        (cache / "fmt").mkdir()
        tex.dump_preamble_format(tex.tex_source(config["tex_template"], "", "align*"), cache / "fmt")
        start = time.perf_counter()
        assert len(tex._compile_batch(inert, cache)) == len(inert)
        out["one_shared_run_s"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        for source, name in inert:
            tex.compile_formula(source, name + "x", config["tex_template"], cache, cache / "fmt")
        out["one_run_each_s"] = round(time.perf_counter() - start, 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--repo", type=Path, default=HERE, help="the checkout whose text_to_manim is measured")
    ap.add_argument("--alone", action="store_true", help="also time one latex run per formula")
    args = ap.parse_args()
    sys.path.insert(0, str(args.repo.resolve()))
    import text_to_manim

    codes = [heavy_scene(60)] + [p.read_text() for p in SCENES]
    result = {"package": str(Path(text_to_manim.__file__).parent), **measure(codes, args.repeat)}
    if args.alone:
        result["batch_vs_alone"] = batch_vs_alone(codes)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
