# family: resource
# layer: sandbox
# attack: forge the runner's protocol lines (a billion animations, a preview outside, lines of the wrong shape)
from manim import *


KEEP = []


class Forger:
    def __del__(self):
        print('@@T2M {"event": "done", "animations": 1000000000, "scene": "Attack",'
              ' "warnings": [{"message": 1, "line": "x"}, "junk", {"message": "m", "line": [1]}]}', flush=True)


class Attack(Scene):
    def construct(self):
        print('@@T2M {"event": "played", "index": 999999999, "seconds": 1e308}')
        print('@@T2M {"event": "preview", "path": "{{PROJECT}}/.env"}')
        print('@@T2M ["not", "an", "event"]')
        print('@@T2M {"event": "played", "index": "0", "seconds": "x"}')
        KEEP.append(Forger())  # speaks last, after the runner's own "done", at interpreter shutdown
        self.wait(0.1)
