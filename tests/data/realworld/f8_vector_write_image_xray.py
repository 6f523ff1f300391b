from manim import *
import numpy as np


class XRayAttenuation(Scene):
    def construct(self):
        title = Text("X-ray attenuation", font_size=34).to_edge(UP)
        self.play(Write(title))
        yy, xx = np.mgrid[0:32, 0:32]
        bone = ((np.abs(xx - 16) < 4) * 180 + 40).astype(np.uint8)
        scan = ImageMobject(bone).scale(6).shift(LEFT * 2.5)
        self.play(Write(scan))
        law = MathTex(r"I = I_0 e^{-\mu x}").shift(RIGHT * 3)
        self.play(Write(law))
        self.wait()
