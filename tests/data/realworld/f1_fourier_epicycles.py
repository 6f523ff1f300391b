from manim import *
import numpy as np


class FourierEpicycles(Scene):
    """Four rotating circles drawing a curve; the rotation advances in 200 small steps."""

    def construct(self):
        freqs = [1, -2, 3, -5]
        radii = [1.6, 0.8, 0.45, 0.25]

        circles = VGroup(*[Circle(radius=r, stroke_width=1.5, color=BLUE_B) for r in radii])
        arms = VGroup(*[Line(ORIGIN, RIGHT * r, color=WHITE, stroke_width=2) for r in radii])
        pen = Dot(color=YELLOW, radius=0.05)

        def place(t):
            center = ORIGIN
            for circle, arm, f, r in zip(circles, arms, freqs, radii):
                circle.move_to(center)
                tip = center + r * np.array([np.cos(f * t), np.sin(f * t), 0])
                arm.put_start_and_end_on(center, tip)
                center = tip
            pen.move_to(center)
            return center

        place(0)
        self.play(Create(circles), Create(arms), FadeIn(pen))

        drawing = VMobject(color=YELLOW, stroke_width=3)
        pts = [pen.get_center()]
        drawing.set_points_as_corners([pts[0], pts[0]])
        self.add(drawing)

        steps = 200
        for k in range(1, steps + 1):
            t = TAU * k / steps
            tip = place(t)
            pts.append(tip)
            new_drawing = VMobject(color=YELLOW, stroke_width=3).set_points_as_corners(pts)
            self.play(Transform(drawing, new_drawing), run_time=0.04)

        self.play(FadeOut(circles), FadeOut(arms))
        self.wait(1)
