from manim import *
import numpy as np


class GANSample(Scene):
    def construct(self):
        title = Text("Generator: noise to image", font_size=32).to_edge(UP)
        self.play(Write(title))
        noise = ImageMobject((np.random.default_rng(0).random((12, 12)) * 255).astype(np.uint8)).scale(12)
        noise.shift(LEFT * 3.5)
        self.play(FadeIn(noise))
        box = Rectangle(width=2, height=1.2, color=PURPLE)
        g = Text("G", font_size=40).move_to(box)
        self.play(Create(box), Write(g))
        yy, xx = np.mgrid[0:12, 0:12]
        face = (((xx - 6) ** 2 + (yy - 6) ** 2 < 25) * 220).astype(np.uint8)
        sample = ImageMobject(face).scale(12).shift(RIGHT * 3.5)
        self.play(Create(sample))
        self.play(Indicate(box))
        self.wait()
