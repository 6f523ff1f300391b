from manim import *


class SolveLinearSystem(Scene):
    def construct(self):
        title = Text("Elimination", font_size=40).to_edge(UP)
        self.play(Write(title))

        system = MathTex(r"""
        \begin{align}
        2x + 3y &= 12 \\
        x - y &= 1
        \end{align}
        """)
        self.play(Write(system))
        self.wait()

        step = MathTex(r"""
        \begin{align*}
        2x + 3y &= 12 \\
        3x + 3y &= 3
        \end{align*}
        """).next_to(system, DOWN, buff=0.7)
        self.play(Write(step))

        solution = MathTex(r"x = 3, \quad y = 2", color=YELLOW).to_edge(DOWN)
        self.play(Write(solution))
        self.wait(2)
