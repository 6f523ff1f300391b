from manim import *


class PowerRule(Scene):
    def construct(self):
        title = Text("The power rule", font_size=40).to_edge(UP)
        self.play(Write(title))

        steps = [
            r"\frac{d}{dx} x^n",
            r"= \lim_{h \to 0} \frac{(x+h)^n - x^n}{h}",
            r"= \lim_{h \to 0} \frac{n x^{n-1} h + O(h^2)}{h}",
            r"= n x^{n-1}",
        ]
        lines = VGroup(*[MathTex(s) for s in steps]).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        for line in lines:
            self.play(Write(line), run_time=1)
        self.wait()

        box = SurroundingRectangle(lines[-1], color=YELLOW)
        self.play(Create(box))
        example = MathTex(r"\frac{d}{dx} x^5 = 5x^4", color=YELLOW).to_edge(DOWN)
        self.play(FadeIn(example, shift=UP))
        self.wait(2)
