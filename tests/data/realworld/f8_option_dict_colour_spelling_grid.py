from manim import *


class ShearTransform(Scene):
    def construct(self):
        plane = NumberPlane(
            x_range=[-7, 7, 1],
            y_range=[-4, 4, 1],
            background_line_style={"stroke_colour": BLUE_D, "stroke_width": 2, "stroke_opacity": 0.5},
        )
        self.play(Create(plane), run_time=2)

        square = Square(side_length=2, color=YELLOW, fill_opacity=0.4)
        self.play(DrawBorderThenFill(square))

        matrix = MathTex(r"\begin{pmatrix} 1 & 1 \\ 0 & 1 \end{pmatrix}").to_corner(UL).add_background_rectangle()
        self.play(Write(matrix))
        self.play(
            ApplyMatrix([[1, 1], [0, 1]], plane),
            ApplyMatrix([[1, 1], [0, 1]], square),
            run_time=3,
        )
        self.wait()
