from manim import *


class VennProbability(Scene):
    def construct(self):
        a = Circle(radius=1.8, color=BLUE, fill_opacity=0.3).shift(LEFT * 1.1)
        b = Circle(radius=1.8, color=RED, fill_opacity=0.3).shift(RIGHT * 1.1)

        # Labels for each region
        label_a = MathTex("P(A)").move_to(a.get_center())
        label_b = MathTex("P(B)").move_to(b.get_center())
        label_ab = MathTex(r"P(A \cap B)").move_to(ORIGIN)

        self.play(Create(a), Create(b))
        self.play(Write(label_a), Write(label_b))
        self.play(Write(label_ab))

        union = MathTex(r"P(A \cup B) = P(A) + P(B) - P(A \cap B)").to_edge(DOWN)
        self.play(Write(union))
        self.wait(2)
