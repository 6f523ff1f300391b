"""The one conductor: a request -> events (`run`, `Request`); see `conductor`."""
from text_to_manim.pipeline.conductor import Request, run

__all__ = ["Request", "run"]
