from manim import *


class TriangleInequality(Scene):
    def construct(self):
        a = np.array([-3, -1.5, 0])
        b = np.array([3, -1.5, 0])
        c = np.array([0.5, 2, 0])

        ab = Line(a, b, color=BLUE)
        bc = Line(b, c, color=GREEN)
        ca = Line(c, a, color=RED)
        dots = VGroup(*[Dot(p) for p in (a, b, c)])
        labels = VGroup(MathTex("A").next_to(a, DL), MathTex("B").next_to(b, DR), MathTex("C").next_to(c, UP))

        self.play(ShowCreation(ab), ShowCreation(bc), ShowCreation(ca))
        self.play(FadeIn(dots), Write(labels))

        inequality = MathTex(r"|AB| \le |AC| + |CB|").to_edge(UP)
        self.play(Write(inequality))

        # Move C toward the segment AB: the inequality becomes an equality
        c_target = np.array([0.5, -1.5, 0])
        self.play(
            bc.animate.put_start_and_end_on(b, c_target),
            ca.animate.put_start_and_end_on(c_target, a),
            dots[2].animate.move_to(c_target),
            labels[2].animate.next_to(c_target, UP),
            run_time=2,
        )
        self.wait(2)
