from manim import *


class TriangleInequality(Scene):
    def construct(self):
        title = Text("Triangle inequality", font_size=36).to_edge(UP)
        self.play(Write(title))
        triangles = [((0, 0), (3, 0), (1, 2)), ((0, 0), (4, 0), (2, 1)), ((0, 0), (2, 0))]
        shown = None
        for pts in triangles:
            a, b, c = pts
            tri = Polygon([*a, 0], [*b, 0], [*c, 0], color=TEAL).center()
            if shown is None:
                self.play(Create(tri))
            else:
                self.play(Transform(shown, tri))
            shown = shown or tri
        self.wait()
