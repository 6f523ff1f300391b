"""Load figures (issue 10): N gradio_client visitors at once against the real app in its own process
(offline provider, one-second scenes through "Render this code" at -ql), plus two more tabs of the first
visitor to exercise the per-visitor limit.

Reports jobs completed / refused / failed / lost, jobs mixed up (a visitor getting another's video), p50/p95
wait in the queue (submit until the job starts), median submit-to-video time, the app process's peak
resident memory, and how a new visitor was answered during the run.

Usage: python bench/load_bench.py [--clients 20] [--slots 2] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.load_driver import run_load, served_app  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--slots", type=int, default=2, help="T2M_RENDER_CONCURRENCY of the app under test")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="t2m-load-") as tmp:
        with served_app(Path(tmp) / "media", T2M_RENDER_CONCURRENCY=str(args.slots), T2M_MAX_JOBS_PER_SESSION="2",
                        T2M_RENDER_JOBS="1") as app:
            report = run_load(app, clients=args.clients, same_visitor_extra=2)
    s = report.summary()
    if args.json:
        print(json.dumps(s))
    else:
        print(f"{s['clients']} jobs from {args.clients} visitors at once ({args.slots} render slots), {s['seconds']} s:")
        print(f"  completed {s['completed']}, refused {s['refused']}, failed {s['failed']}, lost {s['lost']}, "
              f"mixed up {s['mixed_up']}")
        print(f"  queue wait p50 {s['wait_p50_s']} s, p95 {s['wait_p95_s']} s; submit to video p50 {s['total_p50_s']} s")
        print(f"  peak app memory (RSS) {s['peak_app_rss_mib']} MiB")
        print(f"  new visitor answered {s['probes_answered']}/{s['new_visitor_probes']} times, slowest {s['probe_max_s']} s")
    return 0 if s["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
