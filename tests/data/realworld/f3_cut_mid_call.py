from manim import *


class CentralLimitTheorem(Scene):
    def construct(self):
        # Step 1: Title
        title = Text("Central Limit Theorem", font_size=44).to_edge(UP)
        self.play(Write(title))
        self.wait(0.5)

        # Step 2: Axes for the histogram of sample means
        axes = Axes(
            x_range=[0, 6, 1],
            y_range=[0, 0.8, 0.2],
            x_length=8,
            y_length=4,
            axis_config={"include_numbers": True, "font_size": 20},
        ).shift(DOWN * 0.5)
        self.play(Create(axes))

        # Step 3: Histogram bars for sample means of a uniform die (n = 10)
        heights = [0.02, 0.08, 0.22, 0.38, 0.62, 0.71, 0.6, 0.37, 0.2, 0.07, 0.02]
        bars = VGroup()
        for i, h in enumerate(heights):
            x = 1 + i * 0.5
            bar = Rectangle(
                width=axes.x_axis.unit_size * 0.45,
                height=axes.y_axis.unit_size * h,
                fill_color=BLUE,
                fill_opacity=0.7,
                stroke_width=1,
            )
            bar.move_to(axes.c2p(x, 0), aligned_edge=DOWN)
            bars.add(bar)
        self.play(LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars], lag_ratio=0.1))
        self.wait(0.5)

        # Step 4: Overlay the normal density
        normal = axes.plot(
            lambda x: 0.71 * np.exp(-((x - 3.5) ** 2) / (2 * 0.55**2)),
            x_range=[0.5, 6],
            color=YELLOW,
        )
        self.play(Create(normal))

        # Step 5: The statement of the theorem
        statement = MathTex(
            r"\bar{X}_n \xrightarrow{d} \mathcal{N}\left(\mu, \frac{\sigma^2}{n}\right)"
        ).next_to(title, DOWN)
        self.play(Write(statement))
        self.wait()

        # Step 6: Increase n - the histogram gets narrower
        narrow_heights = [0.0, 0.01, 0.05, 0.25, 0.75, 0.95, 0.74, 0.24, 0.05, 0.01, 0.0]
        new_bars = VGroup()
        for i, h in enumerate(narrow_heights):
            x = 1 + i * 0.5
            bar = Rectangle(
                width=axes.x_axis.unit_size * 0.45,
                height=max(axes.y_axis.unit_size * h, 0.01),
                fill_color=GREEN,
                fill_opacity=0.7,
                stroke_width=1,
            )
            bar.move_to(axes.c2p(x, 0), aligned_edge=DOWN)
            new_bars.add(bar)
        self.play(Transfo