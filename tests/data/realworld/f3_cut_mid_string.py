from manim import *


class GaussianIntegral(Scene):
    """The Gaussian integral via polar coordinates."""

    def construct(self):
        title = Tex("The Gaussian integral").to_edge(UP)
        self.play(Write(title))

        i_def = MathTex(r"I = \int_{-\infty}^{\infty} e^{-x^2}\,dx")
        self.play(Write(i_def))
        self.wait()
        self.play(i_def.animate.shift(UP * 1.5))

        squared = MathTex(
            r"I^2 = \int_{-\infty}^{\infty}\int_{-\infty}^{\infty} e^{-(x^2+y^2)}\,dx\,dy"
        ).next_to(i_def, DOWN, buff=0.5)
        self.play(Write(squared))
        self.wait()

        polar = MathTex(r"= \int_0^{2\pi}\int_0^{\infty} e^{-r^2}\,r\,dr\,d\theta").next_to(squared, DOWN, buff=0.4)
        self.play(Write(polar))
        self.wait()

        result = MathTex(r"= \pi \quad\Rightarrow\quad I = \sqrt{\pi