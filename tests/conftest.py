"""Shared fixtures. Everything here is real: real sandboxed renders, real files."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from text_to_manim import config, jobs  # noqa: E402


@pytest.fixture
def settings(tmp_path) -> config.Settings:
    """Settings whose media (jobs, history) live in this test's temp dir."""
    return config.load(media_dir=tmp_path / "media", db_path=tmp_path / "media" / "history.sqlite3",
                       provider="offline", api_key="")


@pytest.fixture
def job(settings) -> jobs.Job:
    return jobs.new_job(settings.jobs_dir)


def run_cli(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """The real CLI in a child process, as a user runs it. Its outputs go to the project's media/ (as a
    user's do), so the result cache is off unless a test turns it on: an earlier `make test` or bench
    run must not answer for this one."""
    full_env = {**os.environ, "T2M_RESULT_CACHE_MB": "0", **(env or {})}
    return subprocess.run([sys.executable, "-m", "text_to_manim", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=full_env)


def pytest_addoption(parser):
    parser.addoption("--update-control", action="store_true", default=False,
                     help="rewrite the stored control frames under tests/control/ from this run's renders")


@pytest.fixture
def update_control(request) -> bool:
    return request.config.getoption("--update-control")
