from manim import *


class ChainRule(Scene):
    def construct(self):
        # Title
        title = Text(
            "The Chain Rule: Differentiating Compositions of Functions Step by Step",
            font_size=44,
        ).to_edge(UP)
        self.play(Write(title))

        rule = MathTex(r"\frac{d}{dx} f(g(x)) = f'(g(x)) \cdot g'(x)", font_size=48)
        self.play(Write(rule))
        self.wait()

        example = MathTex(r"\frac{d}{dx} \sin(x^2) = \cos(x^2) \cdot 2x", font_size=44, color=YELLOW)
        example.next_to(rule, DOWN, buff=0.8)
        self.play(TransformFromCopy(rule, example))

        outer = SurroundingRectangle(example[0][8:15], color=BLUE)
        inner = SurroundingRectangle(example[0][16:], color=GREEN)
        self.play(Create(outer))
        self.play(Create(inner))
        self.wait(2)
