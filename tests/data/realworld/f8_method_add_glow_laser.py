from manim import *


class LaserReflection(Scene):
    def construct(self):
        title = Text("Law of reflection", font_size=36).to_edge(UP)
        self.play(Write(title))
        mirror = Line(LEFT * 4, RIGHT * 4, color=GREY).shift(DOWN * 1.5)
        normal = DashedLine(DOWN * 1.5, UP * 1.5, color=WHITE)
        self.play(Create(mirror), Create(normal))
        incoming = Line([-3, 1.5, 0], [0, -1.5, 0], color=RED)
        outgoing = Line([0, -1.5, 0], [3, 1.5, 0], color=RED)
        incoming.add_glow(RED, 0.5)
        self.play(Create(incoming))
        self.play(Create(outgoing))
        law = MathTex(r"\theta_i = \theta_r").to_corner(UR)
        self.play(Write(law))
        self.wait()
