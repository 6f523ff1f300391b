from manim import *


class TriangleCentroid(Scene):
    def construct(self):
        title = Text("The centroid of a triangle", font_size=34).to_edge(UP)
        self.play(Write(title))

        A, B, C = [-3, -2, 0], [3, -1.5, 0], [0.5, 2, 0]
        tri = Polygon(A, B, C, color=WHITE)
        tri.center(ORIGIN)
        self.play(Create(tri))

        verts = tri.get_vertices()
        medians = VGroup(*[
            Line(verts[i], (verts[(i + 1) % 3] + verts[(i + 2) % 3]) / 2, color=BLUE)
            for i in range(3)
        ])
        self.play(LaggedStart(*[Create(m) for m in medians], lag_ratio=0.4))
        g = Dot(sum(verts) / 3, color=RED)
        self.play(FadeIn(g, scale=2))
        lab = MathTex("G").next_to(g, UR, buff=0.1)
        self.play(Write(lab))
        self.wait()
