from manim import *


class VectorAddition(Scene):
    def construct(self):
        plane = NumberPlane(x_range=[-1, 7], y_range=[-1, 5], x_length=8, y_length=5.5)
        plane.add_coordinates()
        self.play(Create(plane))

        origin = plane.c2p(0, 0)
        u = Arrow(origin, plane.c2p(3, 1), buff=0, color=BLUE)
        v = Arrow(origin, plane.c2p(1, 3), buff=0, color=RED)
        u_label = MathTex(r"\vec{u}", color=BLUE).next_to(u.get_center(), DOWN)
        v_label = MathTex(r"\vec{v}", color=RED).next_to(v.get_center(), LEFT)

        self.play(GrowArrow(u), Write(u_label))
        self.play(GrowArrow(v), Write(v_label))

        # Move v to the tip of u (tip-to-tail)
        v_moved = v.copy()
        self.play(v_moved.animate.shift(u.get_end() - origin))

        w = Arrow(origin, plane.c2p(4, 4), buff=0, color=YELLOW)
        w_label = MathTex(r"\vec{u} + \vec{v}", color=YELLOW).next_to(w.get_end(), UR, buff=0.1)
        self.play(GrowArrow(w), Write(w_label))
        self.wait(2)
