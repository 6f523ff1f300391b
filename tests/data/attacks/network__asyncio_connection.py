# family: network
# layer: policy
# attack: asyncio opens a connection
import asyncio
from manim import *


class Attack(Scene):
    def construct(self):
        asyncio.run(asyncio.open_connection("127.0.0.1", int("{{PORT}}")))
        self.wait(0.1)
