from manim import *
import random


class MonteCarloPi(Scene):
    def construct(self):
        random.seed(7)
        side = 5
        square = Square(side_length=side, color=WHITE).shift(LEFT * 2)
        quarter = Arc(radius=side, start_angle=0, angle=PI / 2, color=BLUE)
        quarter.shift(square.get_corner(DL))
        self.play(Create(square), Create(quarter))

        inside_count = 0
        total = 0
        counter = MathTex(r"\pi \approx 0.000").to_edge(RIGHT).shift(LEFT * 0.5)
        self.add(counter)

        for batch in range(8):
            dots = VGroup()
            for _ in range(40):
                x, y = random.random(), random.random()
                inside = x * x + y * y <= 1
                inside_count += inside
                total += 1
                point = square.get_corner(DL) + np.array([x * side, y * side, 0])
                dots.add(Dot(point, radius=0.03, color=GREEN if inside else RED))
            estimate = 4 * inside_count / total
            new_counter = MathTex(rf"\pi \approx {estimate:.3f}").move_to(counter)
            self.play(FadeIn(dots, lag_ratio=0.02), Transform(counter, new_counter), run_time=0.6)

        self.wait(2)
