from manim import *


class NewtonSecondLaw(Scene):
    def construct(self):
        statement = Text("Force equals mass times acceleration", font_size=36)
        statement.set_color_by_tex("Force", RED)
        statement.set_color_by_tex("mass", BLUE)
        statement.set_color_by_tex("acceleration", GREEN)
        statement.to_edge(UP)

        law = MathTex("F", "=", "m", "a", font_size=96)
        law[0].set_color(RED)
        law[2].set_color(BLUE)
        law[3].set_color(GREEN)

        self.play(Write(statement))
        self.play(Write(law))
        self.wait()

        box = Square(side_length=1.2, fill_color=BLUE, fill_opacity=0.6).shift(DOWN * 2 + LEFT * 3)
        force = Arrow(box.get_right(), box.get_right() + RIGHT * 2, color=RED, buff=0)
        self.play(FadeIn(box), GrowArrow(force))
        self.play(box.animate.shift(RIGHT * 4), force.animate.shift(RIGHT * 4), run_time=2, rate_func=rush_into)
        self.wait(1)
