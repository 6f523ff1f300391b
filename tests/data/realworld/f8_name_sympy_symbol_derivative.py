from manim import *


class PowerRule(Scene):
    def construct(self):
        title = Text("The power rule", font_size=38).to_edge(UP)
        self.play(Write(title))

        x = Symbol("x")
        rule = MathTex(r"\frac{d}{dx}x^n = n x^{n-1}", font_size=56)
        self.play(Write(rule))
        self.play(rule.animate.shift(UP))

        examples = VGroup(
            MathTex(r"\frac{d}{dx}x^2 = 2x"),
            MathTex(r"\frac{d}{dx}x^3 = 3x^2"),
            MathTex(r"\frac{d}{dx}x^{10} = 10x^9"),
        ).arrange(DOWN, buff=0.4).next_to(rule, DOWN, buff=0.6)
        self.play(LaggedStart(*[Write(e) for e in examples], lag_ratio=0.4))
        self.wait(2)
