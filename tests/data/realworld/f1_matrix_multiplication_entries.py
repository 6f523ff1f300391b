from manim import *
import numpy as np


class MatrixMultiplication(Scene):
    """Compute every entry of a 5x5 product, highlighting the row and the column used."""

    def construct(self):
        A = np.array([[1, 2, 0, 1, 3], [0, 1, 3, 2, 1], [2, 0, 1, 1, 0], [1, 1, 1, 0, 2], [0, 2, 1, 3, 1]])
        B = np.array([[2, 1, 0, 1, 1], [1, 0, 2, 1, 0], [0, 3, 1, 2, 2], [1, 2, 1, 0, 1], [3, 0, 1, 1, 2]])
        C = A @ B

        ma = Matrix(A).scale(0.5)
        mb = Matrix(B).scale(0.5)
        times = MathTex(r"\times")
        equals = MathTex("=")
        mc = Matrix([["?"] * 5 for _ in range(5)]).scale(0.5)
        group = VGroup(ma, times, mb, equals, mc).arrange(RIGHT).to_edge(UP, buff=1)
        self.play(Write(group))

        work = MathTex("").to_edge(DOWN, buff=1)
        for i in range(5):
            for j in range(5):
                row = SurroundingRectangle(ma.get_rows()[i], color=YELLOW)
                col = SurroundingRectangle(mb.get_columns()[j], color=GREEN)
                self.play(Create(row), Create(col), run_time=0.25)
                terms = " + ".join(f"{A[i, k]}\\cdot{B[k, j]}" for k in range(5))
                new_work = MathTex(rf"c_{{{i + 1}{j + 1}}} = {terms} = {C[i, j]}").to_edge(DOWN, buff=1)
                self.play(Transform(work, new_work), run_time=0.3)
                entry = mc.get_entries()[5 * i + j]
                value = MathTex(str(C[i, j])).scale(0.5).move_to(entry)
                self.play(Transform(entry, value), run_time=0.25)
                self.play(FadeOut(row), FadeOut(col), run_time=0.15)

        self.play(FadeOut(work))
        self.play(Circumscribe(mc))
        self.wait(1)
