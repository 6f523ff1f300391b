# family: network
# layer: policy
# attack: urllib to a server on the host
import urllib.request
from manim import *


class Attack(Scene):
    def construct(self):
        open("loot.txt", "wb").write(urllib.request.urlopen("http://127.0.0.1:{{PORT}}/").read())
        self.wait(0.1)
