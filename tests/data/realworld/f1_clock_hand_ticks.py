from manim import *


class ClockAngles(Scene):
    """A clock runs for three hours in 180 one-minute ticks; the angle between the hands is shown."""

    def construct(self):
        face = Circle(radius=2.5, color=WHITE)
        ticks = VGroup(*[
            Line(face.point_at_angle(k * TAU / 12) * 0.9, face.point_at_angle(k * TAU / 12), stroke_width=3)
            for k in range(12)
        ])
        numbers = VGroup(*[
            Text(str(12 if k == 0 else k), font_size=26).move_to(face.point_at_angle(PI / 2 - k * TAU / 12) * 0.78)
            for k in range(12)
        ])
        self.play(Create(face), Create(ticks), FadeIn(numbers))

        minute = Line(ORIGIN, UP * 2.1, color=BLUE, stroke_width=4)
        hour = Line(ORIGIN, UP * 1.4, color=RED, stroke_width=6)
        self.play(Create(minute), Create(hour))

        angle_value = DecimalNumber(0, num_decimal_places=1, unit=r"^\circ").to_corner(UR)
        self.add(angle_value)
        for m in range(1, 181):
            self.play(
                Rotate(minute, -TAU / 60, about_point=ORIGIN),
                Rotate(hour, -TAU / 720, about_point=ORIGIN),
                run_time=0.05,
                rate_func=linear,
            )
            diff = abs(30 * (m // 60) - 5.5 * m) % 360
            angle_value.set_value(min(diff, 360 - diff))
        self.wait(1)
