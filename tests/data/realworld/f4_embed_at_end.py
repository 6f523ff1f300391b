from manimlib import *


class SquareToCircle(Scene):
    def construct(self):
        square = Square()
        square.set_fill(BLUE_E, 1)
        circle = Circle()
        circle.set_fill(RED, 0.5)

        self.play(ShowCreation(square))
        self.wait()
        self.play(ReplacementTransform(square, circle))
        self.wait()

        # Rotate and stretch
        self.play(circle.animate.stretch(4, 0))
        self.play(Rotate(circle, 90 * DEGREES))
        self.play(circle.animate.shift(2 * RIGHT).scale(0.25))

        text = Text("In manim, the mobjects are all vectorized")
        text.to_edge(UP)
        self.play(Write(text))
        self.wait()

        # Drop into an interactive shell to keep playing with the scene
        self.embed()
