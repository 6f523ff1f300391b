from manim import *


class LongScene(Scene):
    """24 animations of moving shapes and text: enough frames for chunks to pay off."""

    def construct(self):
        title = Text("Chunked rendering", font_size=40).to_edge(UP)
        self.play(Write(title))
        shapes = VGroup(*[RegularPolygon(n, color=c).scale(0.6) for n, c in zip(range(3, 9), [RED, ORANGE, YELLOW, GREEN, BLUE, PURPLE])])
        shapes.arrange(RIGHT, buff=0.5)
        self.play(LaggedStart(*[Create(s) for s in shapes], lag_ratio=0.2))
        for i in range(20):
            self.play(Rotate(shapes[i % 6], angle=PI / 2), shapes[(i + 3) % 6].animate.set_fill(opacity=(i % 3) / 3),
                      run_time=0.75)
        self.play(FadeOut(shapes), FadeOut(title))
