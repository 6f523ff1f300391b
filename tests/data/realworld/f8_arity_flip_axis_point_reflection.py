from manim import *


class ReflectionSymmetry(Scene):
    def construct(self):
        title = Text("Reflection across the y-axis", font_size=32).to_edge(UP)
        self.play(Write(title))

        axis = DashedLine(DOWN * 3, UP * 3, color=GREY)
        self.play(Create(axis))

        shape = Polygon([0.5, 0, 0], [2.5, 0.5, 0], [1.5, 2, 0], color=ORANGE, fill_opacity=0.6)
        self.play(DrawBorderThenFill(shape))

        mirror = shape.copy()
        self.play(mirror.animate.flip(UP, ORIGIN).set_color(PURPLE), run_time=2)
        rule = MathTex(r"(x, y) \mapsto (-x, y)").to_edge(DOWN)
        self.play(Write(rule))
        self.wait()
