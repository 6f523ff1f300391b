from manim import BLUE, DOWN, UP, Circle, Create, FadeOut, MathTex, Scene, Text, Write


class PlainScene(Scene):
    def construct(self):
        title = Text("Area of a circle", font_size=40).to_edge(UP)
        self.play(Write(title))
        circle = Circle(radius=1.5, color=BLUE)
        self.play(Create(circle))
        self.wait(0.5)
        formula = MathTex(r"A = \pi r^2").next_to(circle, DOWN)
        self.play(Write(formula))
        self.play(FadeOut(circle), FadeOut(formula), FadeOut(title))
