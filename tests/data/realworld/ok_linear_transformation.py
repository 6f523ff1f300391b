from manim import *


class LinearTransformation(Scene):
    """Show how a 2x2 matrix moves the grid and the basis vectors."""

    def construct(self):
        plane = NumberPlane(
            x_range=[-6, 6, 1],
            y_range=[-4, 4, 1],
            background_line_style={"stroke_color": TEAL, "stroke_opacity": 0.5},
        )
        i_hat = Vector([1, 0], color=GREEN)
        j_hat = Vector([0, 1], color=RED)
        i_label = MathTex(r"\hat{\imath}", color=GREEN).next_to(i_hat, DOWN)
        j_label = MathTex(r"\hat{\jmath}", color=RED).next_to(j_hat, LEFT)

        matrix = [[2, 1], [1, 1]]
        matrix_tex = MathTex(r"A = \begin{bmatrix} 2 & 1 \\ 1 & 1 \end{bmatrix}")
        matrix_tex.to_corner(UL).add_background_rectangle()

        self.play(Create(plane), run_time=1.5)
        self.play(GrowArrow(i_hat), GrowArrow(j_hat), Write(i_label), Write(j_label))
        self.play(Write(matrix_tex))
        self.wait(0.5)

        # Apply the matrix to everything except the label
        self.play(
            ApplyMatrix(matrix, plane),
            ApplyMatrix(matrix, i_hat),
            ApplyMatrix(matrix, j_hat),
            FadeOut(i_label),
            FadeOut(j_label),
            run_time=3,
        )
        self.wait(0.5)

        det = MathTex(r"\det A = 1", color=YELLOW).next_to(matrix_tex, DOWN).add_background_rectangle()
        self.play(Write(det))
        self.wait(2)
