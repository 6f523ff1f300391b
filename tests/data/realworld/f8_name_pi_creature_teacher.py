from manim import *


class WhyDerivatives(Scene):
    def construct(self):
        teacher = PiCreature(color=GREY_BROWN).scale(0.8).to_corner(DR)
        self.play(FadeIn(teacher))
        bubble = RoundedRectangle(width=5, height=2, corner_radius=0.4).next_to(teacher, UL)
        question = Text("What is a derivative?", font_size=30).move_to(bubble)
        self.play(Create(bubble), Write(question))
        answer = MathTex(r"f'(x) = \lim_{h\to 0}\frac{f(x+h)-f(x)}{h}").to_edge(UP)
        self.play(Write(answer))
        self.play(Indicate(answer))
        self.wait()
