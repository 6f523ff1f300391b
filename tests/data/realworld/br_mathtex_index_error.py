from manim import *


class DistributiveLaw(Scene):
    def construct(self):
        expr = MathTex(r"a(b + c) = ab + ac", font_size=72)
        self.play(Write(expr))
        self.wait()

        # Colour a, b and c consistently on both sides
        expr[0].set_color(YELLOW)      # a
        expr[2].set_color(BLUE)        # b
        expr[4].set_color(GREEN)       # c
        self.play(Indicate(expr[0]), Indicate(expr[7]))

        arrows = VGroup(
            CurvedArrow(expr[0].get_top(), expr[7].get_top(), angle=-PI / 3),
            CurvedArrow(expr[0].get_top(), expr[10].get_top(), angle=-PI / 3),
        )
        self.play(Create(arrows))
        self.wait(2)
