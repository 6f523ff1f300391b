"""Load: 20 gradio_client visitors at once against the real app in its own process (offline, one-second
scenes at -ql, two render slots), plus two more tabs of the first visitor. Every job finishes or is refused
with a clear message, none is lost or mixed up (each visitor downloads its own video, byte for byte the one
in its own job folder), queue positions are shown, a new visitor is answered throughout, and the app's
memory stays bounded. Figures (waits, memory) are printed; bench/load_bench.py reports them."""
from __future__ import annotations

import json

import pytest

from tests.load_driver import run_load, served_app
from text_to_manim.web.job_queue import TOO_MANY

CLIENTS = 20
MEMORY_BOUND = 2 * 1024 ** 3  # the app process itself (renders are separate sandboxed processes)


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_twenty_visitors_at_once(tmp_path):
    with served_app(tmp_path / "media", T2M_RENDER_CONCURRENCY="2", T2M_MAX_JOBS_PER_SESSION="2",
                    T2M_RENDER_JOBS="1") as app:
        report = run_load(app, clients=CLIENTS, same_visitor_extra=2)
    summary = report.summary()
    print("load:", json.dumps(summary))
    outcomes = report.outcomes
    assert summary["lost"] == 0 and summary["failed"] == 0, [o for o in outcomes if o.status in ("lost", "failed")]
    # the first visitor's third job (two tabs more) is the one refused, in words; everyone else finished
    refused = [o for o in outcomes if o.status == "refused"]
    assert len(refused) == 1 and refused[0].client in (0, CLIENTS, CLIENTS + 1), refused
    assert TOO_MANY.format(n=2).split(":")[0] in refused[0].message
    assert summary["completed"] == CLIENTS + 1
    # nobody got someone else's video: named after the visitor's own scene, bytes of its own job's file
    assert summary["mixed_up"] == 0, [(o.name, o.video_name, o.video_sha[:8], o.own_video_sha[:8])
                                      for o in outcomes if o.status == "completed"]
    assert len({o.video_sha for o in outcomes if o.status == "completed"}) == CLIENTS + 1
    # with two render slots, most waited in the queue and saw their place in it
    assert sum(o.saw_queue_position for o in outcomes) >= CLIENTS // 2
    # a new visitor was answered throughout
    assert report.probes and all(status == 200 for status, _ in report.probes), report.probes
    assert 0 < report.peak_rss < MEMORY_BOUND
