from manim import *


class FreeBodyDiagram(Scene):
    def construct(self):
        title = Text("Block on an incline", font_size=34).to_edge(UP)
        self.play(Write(title))

        ramp = Polygon([-4, -2, 0], [3, -2, 0], [-4, 1.5, 0], color=WHITE)
        block = Square(1, fill_color=BLUE, fill_opacity=0.7).rotate(-0.46).move_to([-1.2, 0.3, 0])
        self.play(Create(ramp), FadeIn(block))

        c = block.get_center()
        weight = Arrow(c, c + DOWN * 2, buff=0, color=FORCE_COLOR)
        normal = Arrow(c, c + 1.6 * np.array([0.42, 0.9, 0]), buff=0, color=NORMAL_COLOR)
        self.play(GrowArrow(weight), GrowArrow(normal))
        labels = VGroup(MathTex("mg").next_to(weight, DOWN), MathTex("N").next_to(normal, UR, buff=0.1))
        self.play(Write(labels))
        self.wait()
