from manim import *


class MatrixDeterminantArea(Scene):
    def create_grid(self):
        return NumberPlane(
            x_range=[-6, 6], y_range=[-4, 4],
            background_line_style={"stroke_color": BLUE_E, "stroke_opacity": 0.6},
        )

    def unit_square(self):
        return Square(side_length=1, fill_color=YELLOW, fill_opacity=0.5, stroke_color=YELLOW).move_to([0.5, 0.5, 0])

    def construct(self):
        grid = create_grid()
        square = unit_square()
        self.add(grid)
        self.play(DrawBorderThenFill(square))

        matrix = [[2, 1], [0.5, 1.5]]
        det = 2 * 1.5 - 1 * 0.5
        label = MathTex(rf"\det = {det}").to_corner(UL).add_background_rectangle()

        self.play(ApplyMatrix(matrix, grid), ApplyMatrix(matrix, square), run_time=2)
        self.play(Write(label))
        self.wait(2)
