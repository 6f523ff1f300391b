from manim import *


class LawOfSines(Scene):
    def construct(self):
        A = np.array([-3, -1.5, 0])
        B = np.array([3, -1.5, 0])
        C = np.array([0.5, 2, 0])
        triangle = Polygon(A, B, C, color=WHITE)
        self.play(Create(triangle))

        angle_labels = VGroup(
            MathTex("α").move_to(A + np.array([0.6, 0.25, 0])),
            MathTex("β").move_to(B + np.array([-0.6, 0.25, 0])),
            MathTex("γ").move_to(C + np.array([0, -0.6, 0])),
        )
        self.play(Write(angle_labels))

        law = MathTex("a / sin α = b / sin β = c / sin γ").to_edge(UP)
        self.play(Write(law))
        self.wait()

        angles_sum = MathTex("α + β + γ = π").next_to(law, DOWN)
        self.play(Write(angles_sum))
        self.wait(2)
