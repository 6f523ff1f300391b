"""A job is one folder under media/jobs/: the only place a render may write."""
from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from text_to_manim import config, nofollow

SCENE_FILE = "scene.py"
LOG_FILE = "render.log"


@dataclass(frozen=True)
class Job:
    id: str
    dir: Path

    @property
    def scene_file(self) -> Path:
        return self.dir / SCENE_FILE

    @property
    def log_file(self) -> Path:
        return self.dir / LOG_FILE

    def write_code(self, code: str, name: str = SCENE_FILE) -> Path:
        return nofollow.write_text(self.dir / name, code)  # never through a link a run planted

    def log(self, text: str) -> None:
        with nofollow.open_append(self.log_file) as fh:
            fh.write((text if text.endswith("\n") else text + "\n").encode("utf-8", "replace"))


def new_job(jobs_dir: Path | None = None, label: str = "") -> Job:
    """A fresh folder that no other run can have: two runs never share files (issue 12.2)."""
    jobs_dir = Path(jobs_dir or config.load().jobs_dir)
    label = re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-.")[:40]
    jid = (f"{label}-" if label else "") + time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
    d = jobs_dir / jid
    d.mkdir(parents=True, exist_ok=False)
    return Job(jid, d.resolve())


def open_job(path: Path) -> Job:
    path = Path(path).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return Job(path.name, path)
