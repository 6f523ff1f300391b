from manimlib import *


class CircleArea(Scene):
    def construct(self):
        circle = Circle(radius=2)
        circle.set_stroke(BLUE, width=4)
        circle.set_fill(BLUE, opacity=0.3)
        radius = Line(ORIGIN, 2 * RIGHT)
        radius.set_stroke(YELLOW, width=3)
        r_label = Tex("r")
        r_label.next_to(radius, UP)

        self.play(ShowCreation(circle))
        self.play(ShowCreation(radius), Write(r_label))
        self.wait()

        formula = Tex(r"A = \pi r^2")
        formula.to_edge(UP)
        words = TexText("Area of a circle")
        words.next_to(formula, DOWN)
        self.play(Write(formula))
        self.play(FadeIn(words, UP))
        self.wait(2)
