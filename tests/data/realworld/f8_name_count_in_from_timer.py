from manim import *


class Countdown(Scene):
    def construct(self):
        title = Text("Radioactive decay: half-lives", font_size=32).to_edge(UP)
        self.play(Write(title))
        counter = Integer(1000, font_size=72)
        self.play(FadeIn(counter))
        for _ in range(3):
            self.play(counter.animate.set_value(counter.get_value() // 2), run_time=1)
        note = MathTex(r"N(t) = N_0 \left(\tfrac12\right)^{t/T}").to_edge(DOWN)
        self.play(CountInFrom(note))
        self.wait()
