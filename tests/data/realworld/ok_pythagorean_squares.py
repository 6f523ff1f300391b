from manim import *

# Side lengths of the right triangle
A_LEN = 1.5
B_LEN = 2.0


class PythagoreanSquares(Scene):
    def construct(self):
        # Right triangle with the right angle at the origin
        p0 = ORIGIN
        p1 = RIGHT * B_LEN
        p2 = UP * A_LEN
        triangle = Polygon(p0, p1, p2, color=WHITE, fill_opacity=0.3, fill_color=GREY)
        triangle.move_to(ORIGIN).shift(LEFT * 0.5)
        v0, v1, v2 = triangle.get_vertices()

        # Squares on each side, built outward from the triangle
        def square_on(start, end, color):
            side = end - start
            normal = np.array([side[1], -side[0], 0])
            return Polygon(start, end, end + normal, start + normal, color=color, fill_opacity=0.5)

        sq_b = square_on(v0, v1, BLUE)
        sq_a = square_on(v2, v0, GREEN)
        sq_c = square_on(v1, v2, RED)

        a_label = MathTex("a^2").move_to(sq_a)
        b_label = MathTex("b^2").move_to(sq_b)
        c_label = MathTex("c^2").move_to(sq_c)

        self.play(Create(triangle))
        self.wait(0.5)
        self.play(DrawBorderThenFill(sq_a), Write(a_label))
        self.play(DrawBorderThenFill(sq_b), Write(b_label))
        self.play(DrawBorderThenFill(sq_c), Write(c_label))
        self.wait(0.5)

        figure = VGroup(triangle, sq_a, sq_b, sq_c, a_label, b_label, c_label)
        self.play(figure.animate.scale(0.7).to_edge(LEFT))

        equation = MathTex("a^2", "+", "b^2", "=", "c^2", font_size=60).to_edge(RIGHT, buff=1.5)
        equation[0].set_color(GREEN)
        equation[2].set_color(BLUE)
        equation[4].set_color(RED)
        self.play(
            TransformFromCopy(a_label, equation[0]),
            TransformFromCopy(b_label, equation[2]),
            TransformFromCopy(c_label, equation[4]),
            FadeIn(equation[1]),
            FadeIn(equation[3]),
        )
        self.play(Circumscribe(equation))
        self.wait(2)
