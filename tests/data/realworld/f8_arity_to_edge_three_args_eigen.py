from manim import *


class EigenvectorIdea(Scene):
    def construct(self):
        title = Text("Eigenvectors keep their direction", font_size=32)
        title.to_edge(UP, 0.3, LEFT)
        self.play(Write(title))

        plane = NumberPlane(x_range=[-5, 5], y_range=[-3, 3], background_line_style={"stroke_opacity": 0.3})
        self.play(Create(plane))

        v = Vector([1, 1], color=YELLOW)
        w = Vector([1, -0.5], color=BLUE)
        self.play(GrowArrow(v), GrowArrow(w))
        M = [[2, 1], [1, 2]]
        self.play(ApplyMatrix(M, v), ApplyMatrix(M, w), run_time=2)
        eq = MathTex(r"A\vec v = \lambda \vec v,\ \lambda = 3").to_corner(DR).add_background_rectangle()
        self.play(Write(eq))
        self.wait()
