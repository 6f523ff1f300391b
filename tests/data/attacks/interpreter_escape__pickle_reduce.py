# family: interpreter-escape
# layer: policy
# attack: a pickle whose __reduce__ runs os.system
import pickle
from manim import *


class Attack(Scene):
    def construct(self):
        pickle.loads(b"cos\nsystem\n(S'id'\ntR.")
        self.wait(0.1)
