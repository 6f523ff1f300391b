from manim import *


class MnistBatch(Scene):
    def construct(self):
        title = Text("A batch of handwritten digits", font_size=34).to_edge(UP)
        self.play(Write(title))

        digits = Group()
        for d in range(10):
            img = ImageMobject(f"mnist_{d}.png").set_height(1.1)
            digits.add(img)
        digits.arrange_in_grid(rows=2, cols=5, buff=0.3)
        self.play(LaggedStart(*[FadeIn(img) for img in digits], lag_ratio=0.1))

        labels = VGroup(*[Text(str(d), font_size=24).next_to(img, DOWN, buff=0.1) for d, img in enumerate(digits)])
        self.play(Write(labels))

        shape = MathTex(r"X \in \mathbb{R}^{10 \times 28 \times 28}").to_edge(DOWN)
        self.play(Write(shape))
        self.wait(2)
