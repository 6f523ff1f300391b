from manim import *


class NewtonMethod(Scene):
    """Newton's method for f(x) = x^3 - 2x - 5 from twelve starting points."""

    def construct(self):
        f = lambda x: x**3 - 2 * x - 5
        df = lambda x: 3 * x**2 - 2

        axes = Axes(x_range=[-1, 4, 1], y_range=[-10, 40, 10], x_length=9, y_length=5.5,
                    axis_config={"include_numbers": True, "font_size": 20})
        graph = axes.plot(f, x_range=[-1, 3.8], color=BLUE)
        label = MathTex("f(x) = x^3 - 2x - 5").to_corner(UL)
        self.play(Create(axes), Create(graph), Write(label))

        starts = [0.9 + 0.25 * k for k in range(12)]
        for x0 in starts:
            x = x0
            dot = Dot(axes.c2p(x, 0), color=YELLOW)
            self.play(FadeIn(dot), run_time=0.2)
            for _ in range(4):
                on_curve = axes.c2p(x, f(x))
                v = DashedLine(axes.c2p(x, 0), on_curve, color=GREY)
                x_new = x - f(x) / df(x)
                tangent = Line(on_curve, axes.c2p(x_new, 0), color=ORANGE, stroke_width=2)
                self.play(Create(v), run_time=0.15)
                self.play(Create(tangent), run_time=0.15)
                self.play(dot.animate.move_to(axes.c2p(x_new, 0)), FadeOut(v), FadeOut(tangent), run_time=0.15)
                x = x_new
            self.play(FadeOut(dot), run_time=0.1)

        root = MathTex(r"x^* \approx 2.0946", color=GREEN).to_corner(UR)
        self.play(Write(root))
        self.wait(1)
