from manim import *


class EasingComparison(Scene):
    """Three dots race across the screen with different easing functions."""

    def construct(self):
        names = ["linear", "ease_in_out_sine", "ease_out_bounce"]
        funcs = [linear, ease_in_out_sine, ease_out_bounce]
        colors = [BLUE, GREEN, ORANGE]

        dots = VGroup()
        labels = VGroup()
        for i, (name, color) in enumerate(zip(names, colors)):
            y = 1.5 - 1.5 * i
            dot = Dot(LEFT * 4 + UP * y, color=color, radius=0.15)
            label = Text(name, font_size=24, color=color).next_to(dot, LEFT)
            dots.add(dot)
            labels.add(label)
        self.play(FadeIn(dots), Write(labels))

        self.play(*[
            dot.animate(rate_func=f).shift(RIGHT * 8) for dot, f in zip(dots, funcs)
        ], run_time=3)
        self.wait(1)
