from pathlib import Path

from manim import *


class Racy(Scene):
    """Fails when another render of it runs at the same time (both use one scratch file in the job folder)."""

    def construct(self):
        busy = Path("scratch.lock")
        if not config.save_last_frame:  # a render, not the validation
            busy.open("x").close()  # FileExistsError while another render holds it
        try:
            for i in range(8):
                self.play(FadeIn(Square().shift(RIGHT * (i - 4) * 0.5)), run_time=1)
        finally:
            if not config.save_last_frame:
                busy.unlink(missing_ok=True)
