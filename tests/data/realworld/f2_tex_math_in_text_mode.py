from manim import *


class ExponentialDerivative(Scene):
    def construct(self):
        title = Tex("The function that is its own derivative").to_edge(UP)
        self.play(Write(title))

        # Main identity
        identity = Tex(r"\frac{d}{dx} e^x = e^x").scale(1.5)
        self.play(Write(identity))
        self.wait()

        series = Tex(r"e^x = \sum_{n=0}^{\infty} \frac{x^n}{n!}").next_to(identity, DOWN, buff=0.8)
        self.play(Write(series))
        self.wait()

        termwise = Tex(r"\frac{d}{dx} \frac{x^n}{n!} = \frac{x^{n-1}}{(n-1)!}").next_to(series, DOWN, buff=0.8)
        self.play(Write(termwise))
        self.wait(2)
