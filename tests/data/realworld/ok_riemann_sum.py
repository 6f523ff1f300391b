from manim import *


class RiemannSum(Scene):
    def construct(self):
        # Title
        title = Tex("Riemann sums approach the integral").scale(0.8).to_edge(UP)
        self.play(Write(title))

        axes = Axes(
            x_range=[0, 4, 1],
            y_range=[0, 5, 1],
            x_length=6,
            y_length=4,
            tips=False,
        ).shift(DOWN * 0.5)
        graph = axes.plot(lambda x: 0.25 * x**2 + 0.5, x_range=[0, 4], color=YELLOW)

        self.play(Create(axes), Create(graph))

        # Start with coarse rectangles and refine them
        dx_values = [1, 0.5, 0.25, 0.1]
        rects = axes.get_riemann_rectangles(
            graph, x_range=[0, 4], dx=dx_values[0], stroke_width=0.5, fill_opacity=0.6
        )
        self.play(Create(rects))
        self.wait(0.5)

        for dx in dx_values[1:]:
            new_rects = axes.get_riemann_rectangles(
                graph, x_range=[0, 4], dx=dx, stroke_width=0.5, fill_opacity=0.6
            )
            self.play(Transform(rects, new_rects), run_time=1)
            self.wait(0.3)

        integral = MathTex(r"\int_0^4 \left(\tfrac{x^2}{4} + \tfrac12\right)dx = \tfrac{22}{3}")
        integral.scale(0.8).next_to(axes, RIGHT).shift(UP)
        self.play(Write(integral))
        self.wait(2)
