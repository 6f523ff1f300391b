from manim import *


class ImageClassifier(Scene):
    """An image goes into a CNN and comes out as class probabilities."""

    def construct(self):
        image = ImageMobject("cat.jpg").scale_to_fit_height(2.5).to_edge(LEFT, buff=0.8)
        image_label = Text("input image", font_size=24).next_to(image, DOWN)
        self.play(FadeIn(image), Write(image_label))

        # The network as a box of stacked layers
        layers = VGroup(*[
            Rectangle(width=0.3, height=2.6 - 0.4 * i, fill_color=BLUE, fill_opacity=0.5 + 0.1 * i)
            for i in range(4)
        ]).arrange(RIGHT, buff=0.3)
        cnn_label = Text("CNN", font_size=28).next_to(layers, UP)
        arrow_in = Arrow(image.get_right(), layers.get_left(), buff=0.2)
        self.play(GrowArrow(arrow_in), FadeIn(layers), Write(cnn_label))

        classes = ["cat", "dog", "fox"]
        probs = [0.87, 0.10, 0.03]
        bars = VGroup()
        for name, p in zip(classes, probs):
            bar = Rectangle(width=3 * p, height=0.4, fill_color=GREEN, fill_opacity=0.8, stroke_width=0)
            label = Text(f"{name} {p:.0%}", font_size=22)
            bars.add(VGroup(label, bar).arrange(RIGHT, buff=0.2))
        bars.arrange(DOWN, aligned_edge=LEFT).to_edge(RIGHT, buff=0.5)
        arrow_out = Arrow(layers.get_right(), bars.get_left(), buff=0.2)
        self.play(GrowArrow(arrow_out))
        self.play(LaggedStart(*[FadeIn(b, shift=RIGHT) for b in bars], lag_ratio=0.3))
        self.play(Indicate(bars[0]))
        self.wait(2)
