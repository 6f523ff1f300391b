from manim import *


class ChannelIntro(Scene):
    def construct(self):
        logo = SVGMobject("logo.svg").set_color(BLUE).scale(1.5)
        name = Text("Math in Motion", font_size=48).next_to(logo, DOWN, buff=0.5)

        self.play(DrawBorderThenFill(logo), run_time=2)
        self.play(Write(name))
        self.wait()

        tagline = Text("episode 12: the dot product", font_size=28, color=GREY_B).next_to(name, DOWN)
        self.play(FadeIn(tagline, shift=UP))
        self.wait(1)
        self.play(FadeOut(VGroup(logo, name, tagline)))
