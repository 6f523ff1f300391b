from manim import *


class OhmsLaw(Scene):
    def construct(self):
        heading = Text("Ohm's Law", size=1.2).to_edge(UP)
        self.play(Write(heading))

        law = MathTex("V", "=", "I", "R", font_size=90)
        law.set_color_by_tex("V", YELLOW)
        law.set_color_by_tex("I", BLUE)
        law.set_color_by_tex("R", RED)
        self.play(Write(law))

        # A small numeric example
        voltage = DecimalNumber(12.0, num_decimal_points=1, unit="V").shift(DOWN * 1.5 + LEFT * 3)
        resistance = DecimalNumber(4.0, num_decimal_points=1, unit=r"\Omega").shift(DOWN * 1.5)
        current = DecimalNumber(3.0, num_decimal_points=1, unit="A").shift(DOWN * 1.5 + RIGHT * 3)
        self.play(FadeIn(voltage), FadeIn(resistance), FadeIn(current))
        self.wait(2)
