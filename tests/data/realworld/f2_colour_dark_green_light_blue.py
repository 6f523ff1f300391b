from manim import *


class Photosynthesis(Scene):
    def construct(self):
        title = Text("Photosynthesis", font_size=44, color=DARK_GREEN).to_edge(UP)
        self.play(Write(title))

        leaf = Ellipse(width=4, height=2, color=GREEN, fill_color=DARK_GREEN, fill_opacity=0.7).rotate(PI / 8)
        sun = Circle(radius=0.6, color=YELLOW, fill_opacity=1).to_corner(UL).shift(DOWN)
        rays = VGroup(*[
            Arrow(sun.get_center(), leaf.get_center(), buff=0.7, color=YELLOW).shift(0.3 * k * DOWN)
            for k in range(-1, 2)
        ])
        water = Text("H2O", font_size=30, color=LIGHT_BLUE).next_to(leaf, DOWN, buff=1).shift(LEFT * 2)
        co2 = Text("CO2", font_size=30, color=GREY_B).next_to(leaf, RIGHT, buff=1)

        self.play(FadeIn(leaf), FadeIn(sun))
        self.play(LaggedStart(*[GrowArrow(r) for r in rays], lag_ratio=0.2))
        self.play(FadeIn(water, shift=UP), FadeIn(co2, shift=LEFT))

        equation = MathTex(r"6CO_2 + 6H_2O \xrightarrow{light} C_6H_{12}O_6 + 6O_2", font_size=36)
        equation.to_edge(DOWN)
        self.play(Write(equation))
        self.wait(2)
