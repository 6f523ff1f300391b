from manim import *
import numpy as np


class PixelHistogram(Scene):
    def construct(self):
        title = Text("An image is a grid of numbers", font_size=32).to_edge(UP)
        self.play(Write(title))

        rng = np.random.default_rng(7)
        data = (rng.random((8, 8)) * 255).astype(np.uint8)
        img = ImageMobject(data).scale(30).shift(LEFT * 3)
        self.play(FadeIn(img))

        # show the mean brightness
        mean = img.get_average_pixel_value()
        grid = VGroup(*[Square(0.4) for _ in range(64)]).arrange_in_grid(8, 8, buff=0).shift(RIGHT * 3)
        self.play(Create(grid))
        label = Text(f"mean = {mean:.0f}", font_size=28).next_to(grid, DOWN)
        self.play(Write(label))
        self.wait()
