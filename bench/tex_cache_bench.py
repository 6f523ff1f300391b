"""The trusted TeX step's cost on formula-heavy scenes, cold and warm shared cache (issue 16.2).

Cold: a fresh shared cache, so every literal formula (and the digits numbers are made of) is compiled by
the trusted step; warm: the same scenes again, everything found in the index. Each measurement is the best
of --repeat runs, each in a fresh media folder. --repo measures another checkout (e.g. main, before).
Usage: python bench/tex_cache_bench.py [--repeat N] [--repo /work/main]
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--repo", type=Path, default=HERE, help="the checkout whose text_to_manim is measured")
    args = ap.parse_args()
    sys.path.insert(0, str(args.repo.resolve()))
    import text_to_manim

    codes = [heavy_scene(60)] + [p.read_text() for p in SCENES]
    print(json.dumps({"package": str(Path(text_to_manim.__file__).parent), **measure(codes, args.repeat)}, indent=2))


if __name__ == "__main__":
    main()
