from manim import *


class BayesTheorem(Scene):
    def construct(self):
        heading = Text("Bayes' theorem", font_size=40)
        heading.to_top_edge()
        self.play(Write(heading))

        formula = MathTex(r"P(A\mid B)", "=", r"\frac{P(B\mid A)\,P(A)}{P(B)}", font_size=54)
        self.play(Write(formula))
        self.play(formula[0].animate.set_color(YELLOW))

        # name the pieces
        prior = Text("prior", font_size=24, color=GREEN).next_to(formula, DOWN, buff=0.8).shift(RIGHT * 1.5)
        posterior = Text("posterior", font_size=24, color=YELLOW).next_to(formula, DOWN, buff=0.8).shift(LEFT * 2.5)
        self.play(FadeIn(prior, shift=UP), FadeIn(posterior, shift=UP))
        self.wait(2)
