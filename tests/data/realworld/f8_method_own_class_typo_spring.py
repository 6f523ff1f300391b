from manim import *


class Spring(VMobject):
    def __init__(self, start, end, coils=8, **kwargs):
        super().__init__(**kwargs)
        self.start_point = np.array(start)
        self.end_point = np.array(end)
        length = np.linalg.norm(self.end_point - self.start_point)
        pts = [self.start_point + RIGHT * length * i / (4 * coils) + UP * 0.25 * ((-1) ** i) * (0 < i < 4 * coils)
               for i in range(4 * coils + 1)]
        self.set_points_as_corners(pts)


class HookesLaw(Scene):
    def construct(self):
        title = Text("Hooke's law", font_size=36).to_edge(UP)
        self.play(Write(title))

        wall = Line(UP, DOWN).shift(LEFT * 4)
        spring = Spring(LEFT * 4, RIGHT * 0.5, color=BLUE)
        self.play(Create(wall), Create(spring))

        mass = Square(1, color=ORANGE, fill_opacity=0.6).next_to(spring.end_pont, RIGHT, buff=0)
        self.play(FadeIn(mass))

        law = MathTex("F = -kx").next_to(mass, UP, buff=1)
        self.play(Write(law))
        self.wait()
