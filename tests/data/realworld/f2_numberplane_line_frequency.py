from manim import *


class ShearTransformation(Scene):
    def construct(self):
        grid = NumberPlane(
            x_line_frequency=1,
            y_line_frequency=1,
            faded_line_ratio=2,
            background_line_style={"stroke_color": BLUE_D, "stroke_width": 2},
        )
        title = MathTex(r"\begin{bmatrix} 1 & 1 \\ 0 & 1 \end{bmatrix}").to_corner(UL)
        title.add_background_rectangle()

        square = Square(side_length=2, fill_color=YELLOW, fill_opacity=0.4).move_to([1, 1, 0])

        self.play(Create(grid), run_time=2)
        self.play(FadeIn(square), Write(title))
        self.wait(0.5)
        self.play(ApplyMatrix([[1, 1], [0, 1]], grid), ApplyMatrix([[1, 1], [0, 1]], square), run_time=3)
        self.wait(2)
