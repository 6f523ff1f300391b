from manim import *


class SimpleHarmonicMotion(Scene):
    def construct(self):
        # Spring attached to a wall
        wall = Line(UP * 1.5, DOWN * 1.5).shift(LEFT * 5)
        hatch = VGroup(*[Line(ORIGIN, LEFT * 0.3 + DOWN * 0.3).shift(wall.get_top() + DOWN * 0.3 * k) for k in range(10)])
        self.play(Create(wall), Create(hatch))

        mass = Square(side_length=1, fill_color=BLUE, fill_opacity=0.8).shift(RIGHT * 1)
        x_tracker = ValueTracker(1)

        def spring():
            end = mass.get_left()
            start = wall.get_center()
            n = 12
            points = [start]
            for k in range(1, n):
                t = k / n
                offset = UP * 0.3 * (1 if k % 2 else -1)
                points.append(start + t * (end - start) + offset)
            points.append(end)
            return VMobject(color=GREY_B).set_points_as_corners(points)

        spring_mob = always_redraw(spring)
        mass.add_updater(lambda m: m.move_to(RIGHT * x_tracker.get_value()))
        self.play(FadeIn(mass), Create(spring_mob))

        equation = MathTex(r"m\ddot{x} = -kx").to_edge(UP)
        self.play(Write(equation))

        # Oscillate a few times
        for _ in range(3):
            self.play(x_tracker.animate.set_value(-2), run_time=1, rate_func=smooth)
            self.play(x_tracker.animate.set_value(1), run_time=1, rate_func=smooth)

        solution = MathTex(r"x(t) = A\cos(\omega t + \varphi), \quad \omega = \sqrt{k/m}".next_to(equation, DOWN)
        self.play(Write(solution))
        self.wait(2)
