# family: resource
# layer: sandbox
# attack: forge the runner's protocol lines (a billion animations, a video outside)
from manim import *


KEEP = []


class Forger:
    def __del__(self):
        print('@@T2M {"event": "done", "animations": 1000000000, "warnings": [], "scene": "Attack"}', flush=True)


class Attack(Scene):
    def construct(self):
        print('@@T2M {"event": "played", "index": 999999999, "seconds": 1e308}')
        print('@@T2M {"event": "preview", "path": "{{PROJECT}}/.env"}')
        KEEP.append(Forger())  # speaks last, after the runner's own "done", at interpreter shutdown
        self.wait(0.1)
