# family: network
# layer: policy
# attack: open a URL in the host's browser
import webbrowser
from manim import *


class Attack(Scene):
    def construct(self):
        webbrowser.open("http://127.0.0.1:{{PORT}}/")
        self.wait(0.1)
