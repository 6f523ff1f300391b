from manim import *


class EpsilonDelta(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 4, 1], y_range=[0, 5, 1], x_length=7, y_length=5)
        f = lambda x: 0.5 * x + 1
        graph = axes.plot(f, color=BLUE)
        a, L = 2, f(2)

        self.play(Create(axes), Create(graph))

        point = Dot(axes.c2p(a, L), color=YELLOW)
        self.play(FadeIn(point))

        eps = ValueTracker(1.0)

        band = always_redraw(
            lambda: Rectangle(
                width=axes.x_length,
                height=axes.c2p(0, L + eps.get_value())[1] - axes.c2p(0, L - eps.get_value())[1],
                stroke_width=0,
                fill_color=GREEN,
                fill_opacity=0.2,
            ).move_to(axes.c2p(2, L))
        )
        strip = always_redraw(
            lambda: Rectangle(
                width=axes.c2p(a + 2 * eps.get_value(), 0)[0] - axes.c2p(a - 2 * eps.get_value(), 0)[0],
                height=axes.y_length,
                stroke_width=0,
                fill_color=RED,
                fill_opacity=0.2,
            ).move_to(axes.c2p(a, 2.5))
        )

        text = MathTex(r"|x - a| < \delta \Rightarrow |f(x) - L| < \varepsilon").to_edge(UP)
        self.play(FadeIn(band), FadeIn(strip), Write(text))
        self.play(eps.animate.set_value(0.3), run_time=3)
        self.wait()
        self.play(eps.animate.set_value(0.1), run_time=2)
        self.wait(1)
