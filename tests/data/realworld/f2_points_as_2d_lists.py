from manim import *


class MidpointTheorem(Scene):
    def construct(self):
        # Vertices of the triangle
        A = [-3, -2]
        B = [3, -2]
        C = [0, 2.5]

        triangle = Polygon(A, B, C, color=WHITE)
        self.play(Create(triangle))

        # Midpoints of AC and BC
        M = [(A[0] + C[0]) / 2, (A[1] + C[1]) / 2]
        N = [(B[0] + C[0]) / 2, (B[1] + C[1]) / 2]
        m_dot = Dot(M, color=YELLOW)
        n_dot = Dot(N, color=YELLOW)
        midline = Line(M, N, color=YELLOW)

        self.play(FadeIn(m_dot), FadeIn(n_dot))
        self.play(Create(midline))

        statement = MathTex(r"MN \parallel AB, \quad |MN| = \tfrac{1}{2}|AB|").to_edge(UP)
        self.play(Write(statement))
        self.wait(2)
