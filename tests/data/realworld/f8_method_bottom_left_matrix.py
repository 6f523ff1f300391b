from manim import *


class MatrixMultiplication(Scene):
    def construct(self):
        A = Matrix([[1, 2], [3, 4]])
        B = Matrix([[5, 6], [7, 8]])
        eq = MathTex("=")
        C = Matrix([[19, 22], [43, 50]])
        group = VGroup(A, B, eq, C).arrange(RIGHT, buff=0.4)
        self.play(Write(A), Write(B))
        self.play(Write(eq))

        # highlight row 1 of A and column 1 of B
        row = SurroundingRectangle(A.get_rows()[0], color=YELLOW)
        col = SurroundingRectangle(B.get_columns()[0], color=YELLOW)
        self.play(Create(row), Create(col))
        entry = C.get_entries()[0]
        self.play(Write(C))
        self.play(Indicate(entry))

        note = Text("1·5 + 2·7 = 19", font_size=28)
        note.move_to(group.bottom_left() + DOWN)
        self.play(Write(note))
        self.wait()
