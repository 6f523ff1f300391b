from manim import *


class ConvexLens(Scene):
    def construct(self):
        title = Text("A converging lens", font_size=34).to_edge(UP)
        self.play(Write(title))
        axis = Line(LEFT * 6, RIGHT * 6, color=GREY)
        lens = Ellipse(width=0.6, height=4, color=BLUE, fill_opacity=0.3)
        self.play(Create(axis), FadeIn(lens))
        focus = Dot(RIGHT * 2.5, color=YELLOW)
        f_label = MathTex("F").next_to(focus, DOWN)
        self.add_foreground_mobject(focus, f_label)
        rays = VGroup(*[VGroup(Line([-6, y, 0], [0, y, 0]), Line([0, y, 0], [2.5, 0, 0]).scale(1.6, about_point=[0, y, 0]))
                        for y in (-1.2, -0.6, 0.6, 1.2)]).set_color(RED)
        self.play(Create(rays), run_time=2)
        self.wait()
