from manim import *


class ChemicalEquilibrium(Scene):
    def construct(self):
        reactants = MathTex(r"N_2 + 3H_2", font_size=48).shift(LEFT * 3)
        products = MathTex(r"2NH_3", font_size=48).shift(RIGHT * 3)
        self.play(Write(reactants), Write(products))

        # Forward and reverse reactions as curved arrows
        forward = CurvedArrow(
            reactants.get_top() + UP * 0.2,
            products.get_top() + UP * 0.2,
            path_arc=-PI / 3,
            color=GREEN,
        )
        backward = CurvedArrow(
            products.get_bottom() + DOWN * 0.2,
            reactants.get_bottom() + DOWN * 0.2,
            path_arc=-PI / 3,
            color=RED,
        )
        k_f = MathTex("k_f", color=GREEN).next_to(forward, UP)
        k_r = MathTex("k_r", color=RED).next_to(backward, DOWN)

        self.play(Create(forward), Write(k_f))
        self.play(Create(backward), Write(k_r))

        constant = MathTex(r"K = \frac{[NH_3]^2}{[N_2][H_2]^3}").to_edge(DOWN)
        self.play(Write(constant))
        self.wait(2)
