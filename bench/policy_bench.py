"""What the code policy refuses: false refusals on the real-world corpus, and how the attack corpus is split
between the policy and the sandbox.

    .venv/bin/python bench/policy_bench.py [--verbose]

Real-world scenes are legitimate, so every refusal by a policy rule there is a false refusal (parse errors
of truncated answers are counted apart: no policy could accept them). The attack corpus's containment
itself is proved by tests/test_attacks.py, which runs the sandbox layer; this only counts the split.
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from text_to_manim.fixes import sanitize  # noqa: E402
from text_to_manim.scene import policy

STRUCTURE = ("SyntaxError", "no-scene", "too-deep")


def realworld(verbose: bool) -> None:
    files = sorted((ROOT / "tests" / "data" / "realworld").glob("*.py"))
    for label, prepare in (("as written", lambda c: c), ("after sanitize", lambda c: sanitize.sanitize(c)[0])):
        refused, unparsable, warned = [], 0, collections.Counter()
        for f in files:
            review = policy.review(prepare(f.read_text(encoding="utf-8")))
            rules = [e for e in review.errors if e.kind not in STRUCTURE]
            unparsable += bool(review.errors) and not rules
            warned.update(w.kind for w in review.warnings)
            if rules:
                refused.append((f.name, rules))
        print(f"realworld {label}: {len(refused)} false refusal(s) of {len(files)} scenes; {unparsable} do not "
              f"parse; warnings {dict(warned) or 'none'}")
        for name, rules in refused if verbose else []:
            for e in rules:
                print(f"  {name}:{e.line}: {e.kind}: {e.message}")


def attacks() -> None:
    split = collections.Counter()
    for f in sorted((ROOT / "tests" / "data" / "attacks").glob("*.py")):
        family = f.stem.split("__")[0]
        split[(family, "policy" if policy.check(f.read_text(encoding="utf-8")) else "sandbox")] += 1
    total = sum(split.values())
    print(f"attacks: {total} scenes; stopped by the policy {sum(v for (_, l), v in split.items() if l == 'policy')}, "
          f"left to the sandbox {sum(v for (_, l), v in split.items() if l == 'sandbox')}")
    for family in sorted({f for f, _ in split}):
        print(f"  {family:20} policy {split[(family, 'policy')]:3}  sandbox {split[(family, 'sandbox')]:3}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="list each false refusal")
    args = ap.parse_args()
    realworld(args.verbose)
    attacks()


if __name__ == "__main__":
    main()
