from manim import *


class PhotoelectricEffect(Scene):
    def construct(self):
        portrait = ImageMobject("assets/einstein.png").set_height(3).to_corner(UL)
        caption = Text("Einstein, 1905", font_size=24).next_to(portrait, DOWN)
        self.play(FadeIn(portrait), Write(caption))

        metal = Rectangle(width=4, height=0.5, fill_color=GREY, fill_opacity=1).shift(DOWN * 2 + RIGHT * 2)
        self.play(FadeIn(metal))

        # Photons come in as wavy lines, electrons fly out
        photons = VGroup(*[
            FunctionGraph(lambda x: 0.15 * np.sin(8 * x), x_range=[-1.5, 0], color=YELLOW)
            .rotate(-PI / 4).move_to(metal.get_top() + UP * 1.2 + LEFT * (1 - k))
            for k in range(3)
        ])
        self.play(Create(photons), run_time=1.5)
        electrons = VGroup(*[Dot(metal.get_top() + RIGHT * (k - 1), color=BLUE) for k in range(3)])
        self.play(FadeIn(electrons))
        self.play(*[e.animate.shift(UP * 2.5 + RIGHT * 0.8) for e in electrons], run_time=1.5)

        equation = MathTex(r"E_k = h\nu - \phi").to_edge(RIGHT).shift(UP * 2)
        self.play(Write(equation))
        self.wait(2)
