"""prompt -> anchor -> generate -> extract -> sanitize -> validate -> render -> notes -> history.

`run(request)` is a plain generator of `events` objects; it imports neither gradio nor click.
(Skeleton: the stages are filled in by the pipeline issue.)
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Iterator, Optional

from . import config
from .events import Event


@dataclass
class Request:
    prompt: str = ""
    settings: config.Settings = field(default_factory=config.load)
    # Follow-ups ("make the dots red") refine this scene instead of starting afresh.
    previous_code: Optional[str] = None
    # "Render this code": skip the model, go straight to sanitize/validate/render.
    code: Optional[str] = None
    scene: Optional[str] = None
    # Gallery: render this curated scene with these parameters.
    gallery_slug: Optional[str] = None
    params: dict = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)


def run(request: Request) -> Iterator[Event]:
    raise NotImplementedError
