from manim import *
import numpy as np


class ConvolutionPixels(Scene):
    """A tiny grayscale image made from a numpy array, and a 3x3 kernel sliding over it."""

    def construct(self):
        rng = np.random.default_rng(3)
        pixels = (rng.random((8, 8)) * 255).astype(np.uint8)
        image = ImageMobject(pixels)
        image.set_resampling_algorithm(RESAMPLING_ALGORITHMS["nearest"])
        image.height = 4
        image.shift(LEFT * 3)

        grid = NumberPlane(
            x_range=[0, 8, 1], y_range=[0, 8, 1], x_length=4, y_length=4,
            background_line_style={"stroke_color": WHITE, "stroke_width": 1, "stroke_opacity": 0.6},
            axis_config={"stroke_opacity": 0},
        ).move_to(image)

        kernel = Square(side_length=1.5, color=YELLOW, stroke_width=5)
        kernel.move_to(grid.c2p(1.5, 6.5))

        kernel_tex = MathTex(r"K = \frac{1}{9}\begin{bmatrix}1&1&1\\1&1&1\\1&1&1\end{bmatrix}").shift(RIGHT * 3)

        self.play(FadeIn(image), Create(grid))
        self.play(Create(kernel), Write(kernel_tex))
        for col in range(1, 6):
            self.play(kernel.animate.move_to(grid.c2p(col + 1.5, 6.5)), run_time=0.4)
        self.play(kernel.animate.move_to(grid.c2p(1.5, 5.5)), run_time=0.4)
        self.wait(1)
