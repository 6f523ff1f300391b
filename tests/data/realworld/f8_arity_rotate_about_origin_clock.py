from manim import *


class ClockAngles(Scene):
    def construct(self):
        face = Circle(radius=2.5, color=WHITE)
        ticks = VGroup(*[Line(UP * 2.2, UP * 2.5).rotate(-i * TAU / 12, about_point=ORIGIN) for i in range(12)])
        self.play(Create(face), Create(ticks))
        hour = Line(ORIGIN, UP * 1.4, stroke_width=8, color=BLUE)
        minute = Line(ORIGIN, UP * 2.1, stroke_width=5, color=YELLOW)
        self.play(Create(hour), Create(minute))
        # 3 o'clock: the hour hand turns a quarter
        hour.rotate_about_origin(-PI / 2, OUT, ORIGIN)
        self.play(Rotate(minute, angle=-TAU, about_point=ORIGIN), run_time=2)
        angle = MathTex(r"90^\circ").shift(RIGHT * 0.6 + UP * 0.6)
        self.play(Write(angle))
        self.wait()
