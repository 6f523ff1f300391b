from manim import *


class DotProductComponents(Scene):
    def construct(self):
        definition = MathTex(
            r"\vec{a} \cdot \vec{b} = \textcolor{blue}{a_1 b_1} + \textcolor{red}{a_2 b_2} + \textcolor{green}{a_3 b_3}"
        )
        self.play(Write(definition))
        self.wait()

        geometric = MathTex(r"\vec{a} \cdot \vec{b} = \|\vec a\| \|\vec b\| \cos\theta").next_to(definition, DOWN, buff=0.7)
        self.play(Write(geometric))

        example = MathTex(r"(1, 2, 3) \cdot (4, -5, 6) = {\color{yellow} 4 - 10 + 18} = 12").next_to(geometric, DOWN, buff=0.7)
        self.play(Write(example))
        self.wait(2)
