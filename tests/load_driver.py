"""Drive the real app, served in its own process (`python app.py`), with many gradio_client visitors at once;
shared by tests/test_load.py (what a person checks) and bench/load_bench.py (the figures).

Each visitor is a gradio_client Client with its own session cookie and renders its own one-second scene
(class ClientNN, so its video file is named after it) through "Render this code". Meanwhile a prober plays a
new visitor every couple of seconds, and the app process's resident memory is sampled.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import httpx

from tests.app_fixtures import chat_text, free_port, value_of

ROOT = Path(__file__).resolve().parent.parent
SECRET_VARS = ("DEEPSEEK_API_KEY", "OPENAI_API_KEY", "LLM_API_KEY", "LLM_BASE_URL", "LLM_MODEL")


def tiny_scene(n: int) -> tuple[str, str]:
    """A one-second scene of its own for visitor n: (code, class name)."""
    name = f"Client{n:02d}"
    return (f"from manim import *\n\n\nclass {name}(Scene):\n    def construct(self):\n"
            f"        sq = Square(color=BLUE).scale({0.4 + n * 0.05:.2f})\n"
            f"        self.play(FadeIn(sq), run_time=0.5)\n        self.wait(0.5)\n"), name


@dataclass
class AppProcess:
    url: str
    proc: subprocess.Popen
    media_dir: Path

    @property
    def pid(self) -> int:
        return self.proc.pid


def start_app(media_dir: Path, port: Optional[int] = None, **env: str) -> AppProcess:
    """`python app.py` on 127.0.0.1 with offline settings and media in `media_dir`; returns once it answers."""
    port = port or free_port()
    full = {k: v for k, v in os.environ.items() if k not in SECRET_VARS}
    # every visitor here comes from 127.0.0.1: the per-client and global bounds are set above the load unless
    # a test sets them (tests/test_app_bounds.py tests those bounds)
    full.update({"T2M_MEDIA_DIR": str(media_dir), "T2M_PROVIDER": "offline", "T2M_QUALITY": "l",
                 "T2M_MAX_JOBS_PER_CLIENT": "1000", "T2M_MAX_QUEUED_JOBS": "1000",
                 "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}, **env)
    media_dir.mkdir(parents=True, exist_ok=True)
    log = open(media_dir / f"app-{port}.log", "ab")
    proc = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
                            env=full, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited ({proc.returncode}); see {log.name}")
        try:
            if httpx.get(url + "config", timeout=5).status_code == 200:
                return AppProcess(url, proc, media_dir)
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            stop_app(AppProcess(url, proc, media_dir))
            raise RuntimeError("the app did not answer within 180 s")
        time.sleep(0.5)


def stop_app(app: AppProcess, hard: bool = False) -> None:
    """End the app and what it started (its process group): SIGKILL at once when `hard` (a crash)."""
    try:
        os.killpg(app.proc.pid, signal.SIGKILL if hard else signal.SIGTERM)
        app.proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(app.proc.pid, signal.SIGKILL)
        app.proc.wait(timeout=20)


@contextlib.contextmanager
def served_app(media_dir: Path, **env: str) -> Iterator[AppProcess]:
    app = start_app(media_dir, **env)
    try:
        yield app
    finally:
        stop_app(app)


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """Samples the app's memory and plays a new visitor every `every` seconds until stopped."""

    def __init__(self, app: AppProcess, every: float = 2.0):
        super().__init__(daemon=True)
        self.app, self.every = app, every
        self.stop = threading.Event()
        self.peak_rss = 0
        self.probes: list[tuple[int, float]] = []  # (HTTP status or -1, seconds)

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_rss = max(self.peak_rss, rss_bytes(self.app.pid))
            t = time.monotonic()
            try:  # a new visitor (no cookie): the page's config, as a browser's first load fetches it
                status = httpx.get(self.app.url + "config", timeout=60).status_code
            except httpx.HTTPError:
                status = -1
            self.probes.append((status, time.monotonic() - t))
            self.stop.wait(self.every)


@dataclass
class Outcome:
    client: int
    name: str
    status: str = "lost"  # completed | refused | failed | lost
    message: str = ""
    wait: Optional[float] = None  # seconds from submit until the job started (left the queue)
    total: Optional[float] = None  # seconds from submit until the last update
    saw_queue_position: bool = False
    video_name: str = ""
    video_sha: str = ""
    own_video_sha: str = ""  # the video in this visitor's own job folder, for the mixed-up check


@dataclass
class LoadReport:
    outcomes: list = field(default_factory=list)
    peak_rss: int = 0
    probes: list = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def waits(self) -> list[float]:
        return sorted(o.wait for o in self.outcomes if o.wait is not None)

    def percentile(self, q: float) -> float:
        w = self.waits()
        if not w:
            return float("nan")
        return w[min(len(w) - 1, int(round(q * (len(w) - 1))))]

    def summary(self) -> dict:
        ok_probes = [s for st, s in self.probes if st == 200]
        return {"clients": len(self.outcomes), "completed": self.count("completed"), "refused": self.count("refused"),
                "failed": self.count("failed"), "lost": self.count("lost"),
                "mixed_up": sum(1 for o in self.outcomes if o.status == "completed" and
                                (o.video_sha != o.own_video_sha or o.video_name != f"{o.name}.mp4")),
                "wait_p50_s": round(self.percentile(0.5), 2), "wait_p95_s": round(self.percentile(0.95), 2),
                "total_p50_s": round(statistics.median([o.total for o in self.outcomes if o.total]), 2)
                if any(o.total for o in self.outcomes) else None,
                "peak_app_rss_mib": round(self.peak_rss / 2**20, 1),
                "new_visitor_probes": len(self.probes), "probes_answered": len(ok_probes),
                "probe_max_s": round(max(ok_probes), 2) if ok_probes else None, "seconds": round(self.seconds, 1)}


def visitor(url: str, cookie: Optional[str] = None):
    from gradio_client import Client

    kwargs = {"httpx_kwargs": {"cookies": {"t2m_session": cookie}}} if cookie else {}
    return Client(url, verbose=False, download_files=False, **kwargs)


def run_one(app: AppProcess, client, n: int, timeout: float) -> Outcome:
    code, name = tiny_scene(n)
    out = Outcome(client=n, name=name)
    t0 = time.monotonic()
    chat, video = None, None
    try:
        job = client.submit(code, name, api_name="/render_code")
        for update in job:
            now = time.monotonic() - t0
            if now > timeout:
                break
            chat = value_of(update[0]) or chat  # a part an update skipped keeps its value
            video = value_of(update[1]) or video
            progress = value_of(update[3])
            if isinstance(progress, str):
                if "t2m-queued" in progress:
                    out.saw_queue_position = out.saw_queue_position or "ahead of yours" in progress \
                        or "yours is next" in progress
                elif out.wait is None:
                    out.wait = now
        out.total = time.monotonic() - t0
    except Exception as exc:  # a refusal by the app would be a message, never an exception: this one is lost
        out.message = f"{type(exc).__name__}: {exc}"
        return out
    text = chat_text(chat)
    last = text.strip().splitlines()[-1] if text.strip() else ""
    if "Not started." in text:
        out.status, out.message, out.wait = "refused", text[text.index("Not started."):][:300], None
    elif "Done in" in last and video:
        out.status = "completed"
        url = (video.get("video") or video).get("url") if isinstance(video, dict) else None
        if url:
            out.video_name = url.rsplit("/", 1)[-1]
            data = httpx.get(url, cookies=client.cookies, timeout=60).content
            out.video_sha = hashlib.sha256(data).hexdigest()
    elif "This did not work" in text:
        out.status, out.message = "failed", text[-400:]
    else:
        out.message = text[-300:]
    return out


def own_video_sha(app: AppProcess, client, name: str) -> str:
    """The sha of the video in the job folder that this visitor's history lists (exactly one job)."""
    table, _note = client.predict(api_name="/history")
    ids = [row[-1] for row in value_of(table)["data"] if row[-1]]
    shas = [hashlib.sha256(p.read_bytes()).hexdigest() for jid in ids
            for p in (app.media_dir / "jobs" / jid).glob(f"{name}.mp4")]
    return shas[0] if len(shas) == 1 else f"{len(ids)} jobs, {len(shas)} videos"


def run_load(app: AppProcess, clients: int = 20, same_visitor_extra: int = 2, timeout: float = 900) -> LoadReport:
    """`clients` visitors submit at once; visitor 0 also submits `same_visitor_extra` more jobs from other tabs
    (same cookie), so the per-visitor limit refuses what is beyond it."""
    report = LoadReport()
    sampler = Sampler(app)
    sampler.start()
    t0 = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=clients + same_visitor_extra) as pool:
            visitors = list(pool.map(lambda _: visitor(app.url), range(clients)))
            extra = [visitor(app.url, cookie=visitors[0].cookies["t2m_session"]) for _ in range(same_visitor_extra)]
            tabs = [(c, i) for i, c in enumerate(visitors)] + [(c, clients + j) for j, c in enumerate(extra)]
            futures = [pool.submit(run_one, app, c, n, timeout) for c, n in tabs]
            report.outcomes = [f.result() for f in futures]
        report.seconds = time.monotonic() - t0
        for (c, _), o in zip(tabs, report.outcomes):
            if o.status == "completed":
                o.own_video_sha = own_video_sha(app, c, o.name)
    finally:
        sampler.stop.set()
        sampler.join(timeout=70)
    report.peak_rss, report.probes = sampler.peak_rss, sampler.probes
    return report
