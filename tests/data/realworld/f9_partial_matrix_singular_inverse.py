from manim import *
import numpy as np


class MatrixInverse(Scene):
    def construct(self):
        title = Text("Inverting matrices", font_size=36).to_edge(UP)
        self.play(Write(title))
        mats = [np.array([[2, 1], [1, 1]]), np.array([[3, 0], [0, 2]]), np.array([[1, 2], [2, 4]])]
        for m in mats:
            inv = np.linalg.inv(m)
            left = Matrix(m)
            right = DecimalMatrix(inv, element_to_mobject_config={"num_decimal_places": 2})
            group = VGroup(left, MathTex(r"\to"), right).arrange(RIGHT)
            self.play(FadeIn(group))
            self.play(FadeOut(group))
        self.wait()
