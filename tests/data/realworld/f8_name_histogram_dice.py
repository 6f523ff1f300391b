from manim import *
import random


class DiceSums(Scene):
    def construct(self):
        title = Text("Sum of two dice", font_size=36).to_edge(UP)
        self.play(Write(title))
        random.seed(0)
        rolls = [random.randint(1, 6) + random.randint(1, 6) for _ in range(500)]
        counts = [rolls.count(s) for s in range(2, 13)]

        # histogram of the outcomes
        hist = Histogram(counts, bin_labels=list(range(2, 13)), color=BLUE).scale(0.8)
        self.play(Create(hist))
        note = MathTex(r"P(7) = \tfrac{6}{36}").to_corner(UR)
        self.play(Write(note))
        self.wait(2)
