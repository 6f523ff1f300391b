# family: network
# layer: policy
# attack: a raw socket to a server on the host
import socket
from manim import *


class Attack(Scene):
    def construct(self):
        s = socket.create_connection(("127.0.0.1", int("{{PORT}}")), timeout=3)
        open("loot.txt", "wb").write(s.recv(100))
        self.wait(0.1)
