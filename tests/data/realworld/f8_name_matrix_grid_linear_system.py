from manim import *


class LinearSystem(Scene):
    def construct(self):
        title = Text("Solving Ax = b", font_size=36).to_edge(UP)
        self.play(Write(title))

        system = MathTex(r"\begin{cases} 2x + y = 5 \\ x - y = 1 \end{cases}").shift(UP)
        self.play(Write(system))

        # the augmented matrix
        aug = AugmentedMatrix([[2, 1, 5], [1, -1, 1]]).next_to(system, DOWN, buff=0.7)
        self.play(Write(aug))
        solution = MathTex("x = 2,\\ y = 1", color=YELLOW).next_to(aug, DOWN)
        self.play(Write(solution))
        self.play(Circumscribe(solution))
        self.wait()
