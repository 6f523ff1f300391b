from manim import *


class HarmonicSeries(Scene):
    def construct(self):
        title = MathTex(r"\sum_{n=1}^{\infty} \frac{1}{n} = \infty").to_edge(UP)
        self.play(Write(title))
        ax = Axes(x_range=[0, 10, 1], y_range=[0, 3, 1], x_length=8, y_length=4).shift(DOWN * 0.5)
        self.play(Create(ax))
        total = 0
        bars = VGroup()
        for n in range(1, 5):
            total += 1 / n
            bar = Rectangle(width=0.6, height=total * 4 / 3, fill_color=BLUE, fill_opacity=0.7)
            bar.move_to(ax.c2p(n, 0), aligned_edge=DOWN)
            self.play(FadeIn(bar), run_time=0.5)
            bars.add(bar)
        # the average growth per term
        rate = total / (len(bars) - 4)
        self.play(Write(MathTex(f"{rate:.2f}").to_corner(UR)))
        self.wait()
