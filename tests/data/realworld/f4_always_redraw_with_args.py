from manimlib import *


class ConnectedDots(Scene):
    def construct(self):
        dot1 = Dot(LEFT * 3, color=BLUE)
        dot2 = Dot(RIGHT * 3, color=RED)

        # The line and the midpoint follow the dots
        line = always_redraw(Line, dot1.get_center, dot2.get_center)
        midpoint = always_redraw(lambda: Dot(line.get_center(), color=YELLOW))
        length = DecimalNumber(6.0, num_decimal_places=2)
        f_always(length.set_value, lambda: get_norm(dot2.get_center() - dot1.get_center()))
        always(length.next_to, midpoint, UP)

        self.add(line, midpoint, dot1, dot2, length)
        self.play(dot1.animate.shift(UP * 2), run_time=2)
        self.play(dot2.animate.shift(DOWN * 1.5 + LEFT * 2), run_time=2)
        self.play(Rotate(dot1, PI, about_point=ORIGIN), run_time=2)
        self.wait()
