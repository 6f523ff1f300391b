from manim import *


class Intro(Scene):
    def construct(self):
        title = Text("Why does the harmonic series diverge?", font_size=40)
        subtitle = Text("A grouping argument", font_size=28, color=GREY_B).next_to(title, DOWN)
        self.play(Write(title))
        self.play(FadeIn(subtitle, shift=UP))
        self.wait(1)
        self.play(FadeOut(title), FadeOut(subtitle))


class HarmonicGrouping(Scene):
    def construct(self):
        series = MathTex(
            r"1", r"+\tfrac12", r"+\tfrac13+\tfrac14", r"+\tfrac15+\cdots+\tfrac18", r"+\cdots"
        ).scale(0.9).shift(UP)
        self.play(Write(series))
        self.wait(0.5)

        colors = [WHITE, BLUE, GREEN, ORANGE]
        boxes = VGroup(*[SurroundingRectangle(series[i], color=c, buff=0.08) for i, c in enumerate(colors)])
        self.play(LaggedStart(*[Create(b) for b in boxes], lag_ratio=0.4))

        bounds = MathTex(r"\ge 1", r"+\tfrac12", r"+\tfrac12", r"+\tfrac12", r"+\cdots").scale(0.9)
        bounds.next_to(series, DOWN, buff=1)
        for part, color in zip(bounds[:4], colors):
            part.set_color(color)
        self.play(LaggedStart(*[TransformFromCopy(series[i], bounds[i]) for i in range(4)], lag_ratio=0.3))
        self.play(FadeIn(bounds[4]))

        conclusion = MathTex(r"\sum_{n=1}^{\infty} \frac{1}{n} = \infty", color=YELLOW).to_edge(DOWN)
        self.play(Write(conclusion))
        self.wait(2)
