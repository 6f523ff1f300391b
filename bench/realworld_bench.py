"""Issue 8's figures on the real-world corpus (tests/data/realworld/, described by its manifest.json).

For every scene, four measurements at -ql, all offline (no model, no repair round):
  plain    plain `manim -ql` on the file as written (a temp dir, 120 s timeout), as a new user would;
  written  our pipeline on the code as written:  pipeline.run(Request(code=…, sanitize=False));
  static   our pipeline after its static fixes only (sanitize, run-time shims), the error-driven repair off;
  fixed    our pipeline as shipped: static fixes, then the error-driven repair (issue 19):
           pipeline.run(Request(code=…, sanitize=True)).
A scene that still fails after k animations renders animations 1..k-1 (status "partial"): counted apart
from full renders. For `fixed`, the error-driven repairs kept per scene (mean, max) and the seconds the
error_repair stage added are summed up.
It prints a per-file table, the shares that render in each column, the failures grouped by reason, and
the validate stage's seconds for the longest scenes (200+ animations), then writes the whole run as JSON
to bench/results/realworld.json (not in git).

Usage: python bench/realworld_bench.py [--jobs N] [--only PATTERN ...] [--skip plain|written|static|fixed ...]
                                       [--record-plain] [--out FILE] [--keep]
--record-plain writes what plain manim did into the manifest's `plain_manim` fields (run it with no --only
after changing scenes). Shares are of the scenes measured; timings on this shared machine are noisy.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from text_to_manim import config  # noqa: E402
from text_to_manim.events import ERROR_REPAIR, VALIDATE, Finished, StageFinished  # noqa: E402
from text_to_manim.pipeline import conductor as pipeline  # noqa: E402
from text_to_manim.scene import error_repair  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "realworld"
MANIFEST = CORPUS / "manifest.json"
RESULTS = ROOT / "bench" / "results" / "realworld.json"
MANIM = str(Path(sys.executable).with_name("manim"))
PLAIN_TIMEOUT = 120
LONG_SCENE = 200  # animations: the issue's "200-animation scene"
MODES = ("plain", "written", "static", "fixed")
LABELS = {"plain": "plain manim", "written": "ours as written", "static": "ours, static fixes",
          "fixed": "ours + error-driven"}
REPAIRS_KEPT = re.compile(r"^(\d+) fix\(es\)")
FAMILY_LABEL = {"beyond-rules": "br"}
# The last "SomethingError: message" line of a traceback (Manim prints them through rich).
ERROR_LINE = re.compile(r"^\s*│?\s*([A-Z]\w*(?:Error|Exception|Exit|Interrupt))\b:?\s?(.*?)\s*│?\s*$", re.M)


@dataclass
class Outcome:
    ok: bool
    reason: str = ""  # "" when ok; else e.g. "validate: TypeError" or "timeout"
    message: str = ""
    seconds: float = 0.0
    validate_s: float | None = None
    animations: int | None = None
    fixes: int = 0
    status: str = ""  # the job's status: ok, partial or failed
    repairs: int = 0  # error-driven repairs kept
    repair_s: float | None = None  # seconds of the error_repair stage
    partial: int | None = None  # animations in the partial video (status "partial")


# `static` runs the shipped pipeline with the error-driven repair answering "nothing got further"; a
# thread-local switch, so scenes measured in parallel in other modes keep it.
_STATIC_ONLY = threading.local()
_REAL_REPAIR = error_repair.repair


def _repair_unless_static(code, failed, validate, **kw):
    if getattr(_STATIC_ONLY, "on", False):
        return error_repair.Outcome(code, failed)
    return _REAL_REPAIR(code, failed, validate, **kw)


error_repair.repair = _repair_unless_static


def load_manifest() -> dict[str, dict]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def plain_manim(path: Path, scene: str) -> Outcome:
    """`manim -ql --disable_caching -o x file.py Scene` in a fresh temp dir, as the issue measured it."""
    with tempfile.TemporaryDirectory(prefix="t2m-plain-") as tmp:
        shutil.copy(path, Path(tmp) / path.name)
        t = time.monotonic()
        try:
            proc = subprocess.run([MANIM, "-ql", "--disable_caching", "-o", "x", path.name, scene], cwd=tmp,
                                  capture_output=True, text=True, timeout=PLAIN_TIMEOUT,
                                  env={"PATH": "/usr/bin:/bin", "HOME": tmp, "OPENBLAS_NUM_THREADS": "1"})
        except subprocess.TimeoutExpired:
            return Outcome(False, "timeout", f"no video after {PLAIN_TIMEOUT} s", time.monotonic() - t)
        secs = time.monotonic() - t
        videos = list(Path(tmp).glob("media/videos/**/x.mp4"))
        if proc.returncode == 0 and videos:
            return Outcome(True, seconds=secs)
        found = ERROR_LINE.findall(proc.stdout + "\n" + proc.stderr)
        kind, message = found[-1] if found else ("Error", (proc.stderr or proc.stdout)[-300:].strip())
        return Outcome(False, kind, message.strip()[:300], secs)


def ours(code: str, scene: str | None, sanitize: bool, media: Path, repair: bool = True) -> Outcome:
    """The pipeline on pasted code, offline, to the end (validate + render); `repair=False` turns the
    error-driven repair off in this thread."""
    settings = config.load(media_dir=media, db_path=media / "history.sqlite3", provider="offline", api_key="",
                           quality="l", format="mp4", render_jobs=1)
    t = time.monotonic()
    result, repairs = None, 0
    _STATIC_ONLY.on = not repair
    try:
        for ev in pipeline.run(pipeline.Request(code=code, scene=scene, sanitize=sanitize, settings=settings)):
            if isinstance(ev, Finished):
                result = ev.result
            elif isinstance(ev, StageFinished) and ev.stage == ERROR_REPAIR:
                kept = REPAIRS_KEPT.match(ev.detail or "")
                repairs += int(kept.group(1)) if kept else 0
    finally:
        _STATIC_ONLY.on = False
    secs = time.monotonic() - t
    animations = result.animations
    out = Outcome(bool(result.ok), seconds=secs, validate_s=result.timings.get(VALIDATE), fixes=len(result.fixes),
                  animations=animations if isinstance(animations, int) else None,
                  status=result.status, repairs=repairs, repair_s=result.timings.get(ERROR_REPAIR),
                  partial=result.partial.animations if result.partial else None)
    if not result.ok:
        first = result.errors[0] if result.errors else None
        out.reason = f"{first.stage}: {first.kind or 'error'}" if first else (result.status or "failed")
        out.message = (first.message if first else result.message)[:300]
    return out


def measure(name: str, entry: dict, modes: list[str], media: Path) -> dict:
    path = CORPUS / name
    code = path.read_text(encoding="utf-8")
    row = {"file": name, "family": entry["family"], "expected": entry["expected"]}
    for mode in modes:
        if mode == "plain":
            row[mode] = asdict(plain_manim(path, entry["scene"]))
        else:
            try:
                row[mode] = asdict(ours(code, entry.get("scene"), mode != "written", media / mode,
                                        repair=mode == "fixed"))
            except Exception as exc:  # the pipeline promises never to raise; if it does, that is a finding
                row[mode] = asdict(Outcome(False, f"bench: {type(exc).__name__}", str(exc)[:300]))
    return row


def selected(manifest: dict, patterns: list[str] | None) -> list[str]:
    names = sorted(manifest)
    if not patterns:
        return names
    return [n for n in names if any(fnmatch.fnmatch(n, p) or p in n for p in patterns)]


def cell(o: dict | None) -> str:
    if o is None:
        return "-"
    if o["ok"]:
        return "ok" + (f" ({o['repairs']} repair(s))" if o.get("repairs") else "")
    if o.get("status") == "partial":
        return f"partial 1..{o.get('partial')}: {o['reason']}"[:26]
    return (o["reason"] or "failed")[:26]


def share(rows: list[dict], mode: str) -> tuple[int, int]:
    measured = [r for r in rows if mode in r]
    return sum(r[mode]["ok"] for r in measured), len(measured)


def summary(rows: list[dict], modes: list[str]) -> dict:
    out: dict = {"scenes": len(rows)}
    for mode in modes:
        ok, n = share(rows, mode)
        failures = Counter(r[mode]["reason"] for r in rows if mode in r and not r[mode]["ok"])
        partial = sum(1 for r in rows if mode in r and r[mode].get("status") == "partial")
        out[mode] = {"rendered": ok, "of": n, "share": round(ok / n, 3) if n else None, "partial": partial,
                     "full_or_partial_share": round((ok + partial) / n, 3) if n else None,
                     "failed_by_reason": dict(failures.most_common())}
    if "fixed" in modes:  # the error-driven stage: repairs kept and seconds added, over the scenes it ran on
        ran = [r["fixed"] for r in rows if "fixed" in r and r["fixed"].get("repair_s") is not None]
        kept = [o["repairs"] for o in ran]
        secs = [o["repair_s"] for o in ran]
        out["error_driven"] = {"scenes": len(ran), "repairs_mean": round(sum(kept) / len(kept), 2) if kept else 0,
                               "repairs_max": max(kept, default=0),
                               "seconds_mean": round(sum(secs) / len(secs), 1) if secs else 0,
                               "seconds_max": round(max(secs, default=0), 1)}
    if "fixed" in modes:
        # Against the manifest: what the deterministic fixes should achieve with no model.
        want = [r for r in rows if r["expected"] in ("renders", "renders-partial")]
        met = [r for r in want if r["fixed"]["ok"]]
        partial = [r for r in rows if r["expected"] == "partial"]
        partial_met = sum(r["fixed"].get("status") == "partial" for r in partial)
        out["fixed"]["expected_partial_met"] = f"{partial_met}/{len(partial)}"
        refused = [r for r in rows if r["expected"] == "fails" and not r["fixed"]["ok"]]
        out["fixed"]["expected_renders_met"] = f"{len(met)}/{len(want)}"
        out["fixed"]["expected_fails_met"] = f"{len(refused)}/{sum(r['expected'] == 'fails' for r in rows)}"
    return out


def long_scene_validation(rows: list[dict], manifest: dict) -> list[dict]:
    out = []
    for r in rows:
        n = manifest[r["file"]].get("animations") or 0
        if n >= LONG_SCENE:
            out.append({"file": r["file"], "animations": n,
                        **{f"validate_s_{m}": r[m]["validate_s"] for m in ("written", "static", "fixed") if m in r}})
    return out


def record_plain(rows: list[dict]) -> None:
    """Write what plain manim did into the manifest (the figures the issue compares against)."""
    manifest = load_manifest()
    for r in rows:
        p = r["plain"]
        manifest[r["file"]]["plain_manim"] = (
            {"result": "ok"} if p["ok"] else
            {"result": "timeout"} if p["reason"] == "timeout" else
            {"result": "error", "error": p["reason"], "message": p["message"][:160]})
    MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=1, help="corpus files measured in parallel")
    ap.add_argument("--only", nargs="*", help="file name patterns (glob or substring), e.g. 'f2_*' long")
    ap.add_argument("--skip", nargs="*", default=[], choices=MODES, help="measurements to leave out")
    ap.add_argument("--record-plain", action="store_true", help="write plain manim's outcomes into the manifest")
    ap.add_argument("--out", type=Path, default=RESULTS, help="JSON summary (default bench/results/realworld.json)")
    ap.add_argument("--keep", action="store_true", help="keep the job folders (printed at the end)")
    args = ap.parse_args()
    modes = [m for m in MODES if m not in args.skip]
    if args.record_plain and "plain" not in modes:
        ap.error("--record-plain needs the plain measurement")
    manifest = load_manifest()
    names = selected(manifest, args.only)
    if not names:
        ap.error("no corpus file matches --only")
    media = Path(tempfile.mkdtemp(prefix="t2m-realworld-"))
    print(f"{len(names)} scene(s), measuring {', '.join(modes)} with {args.jobs} job(s)\n", flush=True)
    print(f"{'file':44} {'fam':>4} {'expected':15} " + " ".join(f"{m:26}" for m in modes) + " val_s", flush=True)
    lock = threading.Lock()
    t0 = time.monotonic()

    def one(name: str) -> dict:
        row = measure(name, manifest[name], modes, media)
        v = row.get("fixed", {}).get("validate_s")
        with lock:
            print(f"{name[:44]:44} {FAMILY_LABEL.get(row['family'], str(row['family'])):>4} {row['expected']:15} "
                  + " ".join(f"{cell(row.get(m)):26}" for m in modes)
                  + (f" {v:5.1f}" if v is not None else ""), flush=True)
        return row

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        rows = list(pool.map(one, names))
    total = time.monotonic() - t0

    summ = summary(rows, modes)
    longest = long_scene_validation(rows, manifest)
    print(f"\n{len(rows)} scenes in {total:.0f} s")
    labels = LABELS
    for mode in modes:
        s = summ[mode]
        print(f"  {labels[mode]:20} {s['rendered']:4}/{s['of']:<4} = {100 * (s['share'] or 0):5.1f} % full"
              + (f", {s['partial']} partial ({100 * (s['full_or_partial_share'] or 0):5.1f} % full or partial)"
                 if mode != "plain" else ""))
    if "fixed" in modes:
        print(f"  after fixes vs manifest: renders/renders-partial met {summ['fixed']['expected_renders_met']}, "
              f"partial met {summ['fixed']['expected_partial_met']}, fails met {summ['fixed']['expected_fails_met']}")
        e = summ["error_driven"]
        print(f"  error-driven repair ran on {e['scenes']} scene(s): repairs kept mean {e['repairs_mean']}, "
              f"max {e['repairs_max']}; seconds added mean {e['seconds_mean']}, max {e['seconds_max']}")
    for mode in modes:
        if summ[mode]["failed_by_reason"]:
            print(f"\nfailures, {labels[mode]}:")
            for reason, n in summ[mode]["failed_by_reason"].items():
                files = [r["file"] for r in rows if mode in r and not r[mode]["ok"] and r[mode]["reason"] == reason]
                print(f"  {n:3}  {reason:32} {', '.join(f[:-3] for f in files[:4])}{' …' if len(files) > 4 else ''}")
    if longest and any(m in modes for m in ("written", "static", "fixed")):
        print(f"\nvalidate stage, scenes with {LONG_SCENE}+ animations (s):")
        for item in longest:
            print(f"  {item['file']:44} {item['animations']:4} animations  "
                  + "  ".join(f"{k[11:]} {v:.1f}" for k, v in item.items() if k.startswith("validate_s_") and v is not None))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"when": time.strftime("%Y-%m-%d %H:%M:%S"), "seconds": round(total, 1),
                                    "jobs": args.jobs, "summary": summ, "long_scene_validation": longest,
                                    "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    if args.record_plain:
        record_plain([r for r in rows if "plain" in r])
        print(f"recorded plain manim's outcomes in {MANIFEST}")
    if args.keep:
        print(f"job folders kept in {media}")
    else:
        shutil.rmtree(media, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
