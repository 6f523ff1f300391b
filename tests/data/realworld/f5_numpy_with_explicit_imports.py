from manim import Scene, Axes, Dot, VGroup, Line, MathTex, Create, FadeIn, Write, BLUE, RED, YELLOW, UP, DOWN


class LeastSquaresFit(Scene):
    def construct(self):
        rng = np.random.default_rng(1)
        xs = np.linspace(0, 8, 12)
        ys = 0.6 * xs + 1 + rng.normal(0, 0.6, xs.size)

        axes = Axes(x_range=[0, 9, 1], y_range=[0, 8, 1], x_length=8, y_length=5.5)
        points = VGroup(*[Dot(axes.c2p(x, y), color=BLUE) for x, y in zip(xs, ys)])
        self.play(Create(axes))
        self.play(FadeIn(points, lag_ratio=0.1))

        slope, intercept = np.polyfit(xs, ys, 1)
        fit = axes.plot(lambda x: slope * x + intercept, x_range=[0, 9], color=RED)
        residuals = VGroup(*[
            Line(axes.c2p(x, y), axes.c2p(x, slope * x + intercept), color=YELLOW, stroke_width=2)
            for x, y in zip(xs, ys)
        ])
        self.play(Create(fit))
        self.play(Create(residuals))

        eq = MathTex(rf"\hat y = {slope:.2f}x + {intercept:.2f}").to_edge(UP)
        self.play(Write(eq))
        self.wait(2)
