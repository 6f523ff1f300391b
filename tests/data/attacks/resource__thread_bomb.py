# family: resource
# layer: policy
# attack: start thousands of threads
import threading
import time
from manim import *


class Attack(Scene):
    def construct(self):
        for _ in range(10_000):
            threading.Thread(target=time.sleep, args=(60,)).start()
        self.wait(0.1)
