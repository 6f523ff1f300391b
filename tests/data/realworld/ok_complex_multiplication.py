from manim import *


class ComplexMultiplication(Scene):
    def construct(self):
        plane = ComplexPlane(x_range=[-4, 4], y_range=[-3, 3]).add_coordinates()
        self.play(Create(plane))

        z = complex(1, 1)
        w = complex(1.5, 0.5)

        z_dot = Dot(plane.n2p(z), color=YELLOW)
        z_label = MathTex("z = 1 + i", color=YELLOW).next_to(z_dot, UR, buff=0.1)
        self.play(FadeIn(z_dot), Write(z_label))

        product = z * w
        arrow = Arrow(plane.n2p(0), plane.n2p(z), buff=0, color=YELLOW)
        self.play(GrowArrow(arrow))

        # Multiplying by w scales by |w| and rotates by arg(w)
        angle = np.angle(w)
        scale = abs(w)
        explain = MathTex(r"\times w: \text{ rotate by } \arg w,\ \text{scale by } |w|").to_edge(UP).add_background_rectangle()
        self.play(Write(explain))
        self.play(
            Rotate(arrow, angle=angle, about_point=plane.n2p(0)),
            run_time=1.5,
        )
        self.play(arrow.animate.put_start_and_end_on(plane.n2p(0), plane.n2p(product)))
        result = Dot(plane.n2p(product), color=RED)
        result_label = MathTex(r"zw = 1 + 2i", color=RED).next_to(result, UP)
        self.play(FadeIn(result), Write(result_label))
        self.wait(2)
