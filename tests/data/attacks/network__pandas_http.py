# family: network
# layer: sandbox
# attack: pandas.read_csv from an http:// URL on the host
import pandas as pd
from manim import *


class Attack(Scene):
    def construct(self):
        df = pd.read_csv("http://127.0.0.1:{{PORT}}/data.csv")
        open("loot.txt", "w").write("T2M-" "PWNED " + str(df))
        self.wait(0.1)
