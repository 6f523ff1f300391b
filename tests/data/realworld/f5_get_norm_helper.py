from manim import *


class UnitVectorNormalization(Scene):
    def construct(self):
        plane = NumberPlane(x_range=[-5, 5], y_range=[-3, 3])
        self.add(plane)

        v = np.array([3, 2, 0])
        vec = Arrow(ORIGIN, v, buff=0, color=BLUE)
        length = get_norm(v)
        unit = Arrow(ORIGIN, v / length, buff=0, color=YELLOW)
        circle = Circle(radius=1, color=GREY)

        label_v = MathTex(rf"\|\vec v\| = {length:.2f}", color=BLUE).next_to(vec.get_end(), UR)
        label_u = MathTex(r"\hat v = \frac{\vec v}{\|\vec v\|}", color=YELLOW).to_corner(UL).add_background_rectangle()

        self.play(GrowArrow(vec), Write(label_v))
        self.play(Create(circle))
        self.play(TransformFromCopy(vec, unit), Write(label_u))
        self.wait(2)
