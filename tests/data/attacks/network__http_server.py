# family: network
# layer: policy
# attack: listen for connections from outside
import http.server
from manim import *


class Attack(Scene):
    def construct(self):
        http.server.HTTPServer(("0.0.0.0", 8000), http.server.SimpleHTTPRequestHandler).serve_forever()
        self.wait(0.1)
