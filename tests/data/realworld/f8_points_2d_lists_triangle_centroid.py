from manim import *


class TriangleCentroid(Scene):
    def construct(self):
        title = Text("The centroid of a triangle", font_size=34).to_edge(UP)
        self.play(Write(title))

        # vertices of the triangle
        A = [-3, -2]
        B = [3, -2]
        C = [0, 2.5]
        triangle = Polygon(A, B, C, color=BLUE)
        self.play(Create(triangle))

        labels = VGroup(
            MathTex("A").next_to(triangle.get_vertices()[0], DL),
            MathTex("B").next_to(triangle.get_vertices()[1], DR),
            MathTex("C").next_to(triangle.get_vertices()[2], UP),
        )
        self.play(Write(labels))

        G = triangle.get_center_of_mass()
        medians = VGroup(*[DashedLine(v, G, color=GREY) for v in triangle.get_vertices()])
        self.play(Create(medians))
        offset = np.array([0.35, 0.3])
        self.play(FadeIn(Dot(G, color=YELLOW)), Write(MathTex("G").move_to(G + offset)))
        self.wait()
