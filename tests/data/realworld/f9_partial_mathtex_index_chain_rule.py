from manim import *


class ChainRule(Scene):
    def construct(self):
        title = Text("The chain rule", font_size=38).to_edge(UP)
        self.play(Write(title))
        rule = MathTex(r"\frac{d}{dx}f(g(x)) = f'(g(x))\,g'(x)", font_size=50)
        self.play(Write(rule))
        example = MathTex(r"\frac{d}{dx}\sin(x^2) = \cos(x^2)\cdot 2x").next_to(rule, DOWN, buff=0.8)
        self.play(Write(example))
        self.play(rule.animate.set_color(BLUE))
        # colour the outer and inner derivatives
        self.play(example[0][12:19].animate.set_color(YELLOW))
        self.play(example[3].animate.set_color(GREEN))
        self.wait()
