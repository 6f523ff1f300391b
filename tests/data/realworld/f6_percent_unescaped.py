from manim import *


class ConfidenceInterval(Scene):
    def construct(self):
        axes = Axes(x_range=[-4, 4, 1], y_range=[0, 0.45, 0.1], x_length=9, y_length=4).shift(DOWN * 0.5)
        bell = axes.plot(lambda x: np.exp(-x**2 / 2) / np.sqrt(2 * PI), color=BLUE)
        self.play(Create(axes), Create(bell))

        area = axes.get_area(bell, x_range=[-1.96, 1.96], color=BLUE, opacity=0.4)
        self.play(FadeIn(area))

        label = MathTex(r"95% \text{ of the area}").move_to(axes.c2p(0, 0.15))
        interval = MathTex(r"\bar{x} \pm 1.96 \frac{\sigma}{\sqrt{n}}").to_edge(UP)
        self.play(Write(label))
        self.play(Write(interval))

        note = Tex(r"Only 5% lies in the two tails").scale(0.7).to_edge(DOWN)
        self.play(FadeIn(note))
        self.wait(2)
