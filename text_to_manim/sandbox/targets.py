"""Where a job's runs go: cold processes in the job folder, the job's warm worker, or a Ray cluster.

Validate and render speak to one `RunTarget` and never ask which kind it is; `choose` is the one place that
picks it. Every kind keeps the same walls (`sandbox/walls.py`): a warm worker forks each run behind them, and
a Ray task runs `sandbox.run` on its machine.

- `workers.ColdRuns`: a fresh sandboxed process per run, in the job folder (no bubblewrap, every worker
  taken, or a Ray cluster set);
- `workers.Worker`: the job's leased warm worker (Manim already imported), in its slot folder;
- `RayRuns`: cold, except that a render's chunks become tasks on the cluster (`T2M_RAY_ADDRESS`); when it
  cannot be reached they run here, as before.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Optional, Protocol

from text_to_manim import config
from text_to_manim.sandbox import distributed, workers
from text_to_manim.sandbox import walls as sandbox

StreamItem = sandbox.StreamItem


class RunTarget(Protocol):
    """The runs of one job. Arguments and reported paths are relative to `dir` (the run's folder)."""

    @property
    def dir(self) -> Path: ...

    @property
    def warm(self) -> bool: ...

    def sync_in(self, files: list[Path]) -> None:
        """Make the job's inputs (code, shipped files) visible to the runs."""

    def resolve(self, reported: str) -> Optional[Path]:
        """A file a run reported, only if it really lies inside `dir`."""

    def stream(self, runs: list[list[str]], limits: sandbox.Limits, log_files: list[Path],
               cancel: Optional[threading.Event] = None, started: tuple = ()) -> Iterator[StreamItem]:
        """Several runs at once (`started`: runs begun ahead by `start`, taken over first)."""

    def stream_chunks(self, runs: list[list[str]], limits: sandbox.Limits, log_files: list[Path],
                      cancel: Optional[threading.Event] = None, started: tuple = ()) -> Iterator[StreamItem]:
        """A render's chunks: like `stream`, but a cluster may take them."""

    def start(self, args: list[str], limits: sandbox.Limits, log_file: Path) -> Optional[workers.WarmRun]:
        """Begin one run now, ahead of the stream that takes it over; None where runs cannot start early."""


class RayRuns(workers.ColdRuns):
    """Cold runs whose render chunks go to a Ray cluster, or run here when it cannot be reached."""

    def __init__(self, job_dir: Path, shared_tex: Optional[Path], settings: config.Settings):
        super().__init__(job_dir, shared_tex)
        self.settings = settings

    def stream_chunks(self, runs: list[list[str]], limits: sandbox.Limits, log_files: list[Path],
                      cancel: Optional[threading.Event] = None, started: tuple = ()) -> Iterator[StreamItem]:
        remote = distributed.chunk_stream(self.settings) if not started else None
        if remote is None:
            return self.stream(runs, limits, log_files, cancel, started)
        return remote(self.dir, runs, limits, log_files, cancel)


def choose(job_dir: Path, settings: config.Settings, worker: Optional[workers.Worker] = None) -> RunTarget:
    """The one choice: the job's warm worker when it leased one, else a cluster when one is set, else cold
    processes in the job folder (`workers.lease` leases no worker when a cluster is set)."""
    if worker is not None:
        return worker
    cold = workers.cold_runs(job_dir, settings)
    if (settings.ray_address or "").strip():
        return RayRuns(cold.dir, cold.shared_tex, settings)
    return cold
