from manim import *


class CompletingTheSquare(Scene):
    def construct(self):
        eq = MathTex("x^2 + 6x", "=", "(x+3)^2 - 9").to_edge(UP)
        self.play(Write(eq))

        # x^2 as a square, 6x as two 3-by-x strips
        sq = Square(2, BLUE, 0.5)
        strip1 = Rectangle(width=1.5, height=2, color=GREEN, fill_opacity=0.5).next_to(sq, RIGHT, buff=0)
        strip2 = Rectangle(width=2, height=1.5, color=GREEN, fill_opacity=0.5).next_to(sq, DOWN, buff=0)
        self.play(DrawBorderThenFill(sq))
        self.play(FadeIn(strip1), FadeIn(strip2))

        corner = Square(1.5, color=RED, fill_opacity=0.5).next_to(strip1, DOWN, buff=0)
        self.play(FadeIn(corner))
        self.play(Indicate(corner))
        self.wait()
