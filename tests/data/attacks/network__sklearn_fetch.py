# family: network
# layer: sandbox
# attack: scikit-learn downloads a data set
from manim import *


class Attack(Scene):
    def construct(self):
        from sklearn.datasets import fetch_openml
        fetch_openml("iris", version=1, data_home=".")
        open("loot.txt", "w").write("T2M-" "PWNED downloaded")
        self.wait(0.1)
