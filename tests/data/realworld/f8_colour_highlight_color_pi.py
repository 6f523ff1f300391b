from manim import *


class LeibnizSeries(Scene):
    def construct(self):
        series = MathTex(r"\frac{\pi}{4}", "=", "1", r"-\frac13", r"+\frac15", r"-\frac17", r"+\cdots", font_size=52)
        self.play(Write(series))
        for i in range(2, 6):
            self.play(series[i].animate.set_color(HIGHLIGHT_COLOR), run_time=0.5)
        total = MathTex(r"\pi \approx 3.14159").next_to(series, DOWN, buff=0.8)
        self.play(Write(total))
        self.wait()
