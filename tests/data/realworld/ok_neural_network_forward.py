from manim import *


class NeuralNetworkForward(Scene):
    """A small feed-forward network; a signal travels from input to output."""

    def construct(self):
        layer_sizes = [3, 4, 4, 2]
        layers = VGroup()
        for size in layer_sizes:
            layer = VGroup(*[Circle(radius=0.25, color=BLUE, fill_opacity=0.2) for _ in range(size)])
            layer.arrange(DOWN, buff=0.4)
            layers.add(layer)
        layers.arrange(RIGHT, buff=1.6)

        edges = VGroup()
        for left, right in zip(layers[:-1], layers[1:]):
            for a in left:
                for b in right:
                    edges.add(Line(a.get_right(), b.get_left(), stroke_width=1, color=GREY))

        labels = VGroup(
            Text("input", font_size=24).next_to(layers[0], DOWN),
            Text("hidden", font_size=24).next_to(VGroup(layers[1], layers[2]), DOWN),
            Text("output", font_size=24).next_to(layers[3], DOWN),
        )

        self.play(LaggedStart(*[Create(l) for l in layers], lag_ratio=0.3))
        self.play(Create(edges), run_time=1.5)
        self.play(FadeIn(labels))

        # Forward pass: light up each layer in turn
        for layer in layers:
            self.play(layer.animate.set_fill(YELLOW, opacity=0.8), run_time=0.5)
            self.play(layer.animate.set_fill(BLUE, opacity=0.2), run_time=0.3)

        self.play(Indicate(layers[-1][0], color=GREEN))
        self.wait(1)
