from manim import *


class HeisenbergUncertainty(Scene):
    def construct(self):
        title = Tex("Heisenberg's uncertainty principle").to_edge(UP)
        self.play(Write(title))

        principle = Tex("Δx · Δp ≥ ħ/2", font_size=72)
        self.play(Write(principle))
        self.wait()

        # Narrow position wave packet, wide momentum spread
        axes = Axes(x_range=[-4, 4], y_range=[0, 1.2], x_length=6, y_length=2.5).to_edge(DOWN)
        packet = axes.plot(lambda x: np.exp(-4 * x**2), color=BLUE)
        spread = axes.plot(lambda x: np.exp(-x**2 / 4), color=RED)
        self.play(Create(axes), Create(packet))
        self.play(Create(spread))

        note = Tex("narrow in x ⇒ wide in p").scale(0.7).next_to(axes, UP)
        self.play(FadeIn(note))
        self.wait(2)
