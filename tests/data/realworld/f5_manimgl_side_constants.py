from manim import *


class FallingObjects(Scene):
    def construct(self):
        ground = Line(LEFT_SIDE, RIGHT_SIDE).shift(BOTTOM * 0.8)
        self.play(Create(ground))

        feather = Text("feather", font_size=28).move_to(TOP * 0.8 + LEFT * 2)
        hammer = Text("hammer", font_size=28).move_to(TOP * 0.8 + RIGHT * 2)
        self.play(FadeIn(feather), FadeIn(hammer))

        # In a vacuum both fall with the same acceleration
        self.play(
            feather.animate.next_to(ground, UP).shift(LEFT * 2),
            hammer.animate.next_to(ground, UP).shift(RIGHT * 2),
            rate_func=rush_into,
            run_time=2,
        )
        law = MathTex(r"h = \tfrac12 g t^2").to_edge(UP)
        self.play(Write(law))
        self.wait(1)
