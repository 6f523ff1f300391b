from manim import *


class EulerIdentity(Scene):
    def construct(self):
        identity = MathTex(
            "e", "^{i", r"\pi}", "+", "1", "=", "0",
            font_size=96,
        )
        identity.set_color_by_tex("e", YELLOW)
        identity.set_color_by_tex(r"\pi}", BLUE)

        caption = Text("five constants, one equation", font_size=30, color=GREY_B)
        caption.next_to(identity, DOWN, buff=0.8)

        self.play(Write(identity), run_time=2)
        self.play(FadeIn(caption, shift=UP))
        self.wait()

        formula = MathTex(r"e^{i\theta} = \cos\theta + i\sin\theta", tex_to_color_map={r"\theta": ORANGE})
        formula.to_edge(UP)
        self.play(Write(formula))
        self.play(Circumscribe(identity, color=GREEN))
        self.wait(2)
