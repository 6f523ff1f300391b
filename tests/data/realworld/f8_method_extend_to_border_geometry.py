from manim import *


class ParallelLinesTransversal(Scene):
    def construct(self):
        title = Text("Alternate interior angles", font_size=34).to_edge(UP)
        self.play(Write(title))

        l1 = Line(LEFT * 4 + UP, RIGHT * 4 + UP)
        l2 = Line(LEFT * 4 + DOWN, RIGHT * 4 + DOWN)
        self.play(Create(l1), Create(l2))

        # transversal through both lines
        t = Line(DOWN * 2 + LEFT * 1.5, UP * 2 + RIGHT * 1.5, color=YELLOW)
        t.extend_to_border()
        self.play(Create(t))

        a1 = Angle(l1, t, radius=0.5, quadrant=(-1, -1), color=BLUE)
        a2 = Angle(l2, t, radius=0.5, quadrant=(1, 1), color=BLUE)
        self.play(Create(a1), Create(a2))
        eq = MathTex(r"\alpha = \beta").to_edge(DOWN)
        self.play(Write(eq))
        self.wait(2)
