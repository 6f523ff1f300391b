from manim import *


class SumOfOddNumbers(Scene):
    def construct(self):
        title = TextMobject("The sum of the first $n$ odd numbers").to_edge(UP)
        self.play(Write(title))

        formula = TexMobject(r"1 + 3 + 5 + \cdots + (2n-1) = n^2").next_to(title, DOWN)
        self.play(Write(formula))

        # Build a square of dots L-shape by L-shape
        layers = VGroup()
        colors = [RED, ORANGE, YELLOW, GREEN, BLUE]
        for n in range(1, 6):
            layer = VGroup()
            for i in range(n):
                layer.add(Dot([i * 0.5, (n - 1) * 0.5, 0], color=colors[n - 1]))
            for j in range(n - 1):
                layer.add(Dot([(n - 1) * 0.5, j * 0.5, 0], color=colors[n - 1]))
            layers.add(layer)
        layers.move_to(DOWN)
        for layer in layers:
            self.play(FadeIn(layer, lag_ratio=0.1), run_time=0.6)
        self.wait(2)
