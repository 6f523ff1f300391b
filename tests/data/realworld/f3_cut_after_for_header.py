from manim import *


class PrimeSpiral(Scene):
    """Ulam-style spiral: integers placed on a square spiral, primes highlighted."""

    def construct(self):
        def is_prime(n):
            if n < 2:
                return False
            for d in range(2, int(n**0.5) + 1):
                if n % d == 0:
                    return False
            return True

        # Walk a square spiral and record the grid positions
        positions = [(0, 0)]
        x = y = 0
        step = 1
        dirs = [(1, 0), (0, 1), (-1, 0), (0, -1)]
        d = 0
        while len(positions) < 81:
            for _ in range(2):
                dx, dy = dirs[d % 4]
                for _ in range(step):
                    x, y = x + dx, y + dy
                    positions.append((x, y))
                d += 1
            step += 1
        positions = positions[:81]

        spacing = 0.7
        numbers = VGroup(*[
            Text(str(k + 1), font_size=16).move_to([px * spacing, py * spacing, 0])
            for k, (px, py) in enumerate(positions)
        ])
        path = VMobject(color=GREY_D, stroke_width=1).set_points_as_corners(
            [[px * spacing, py * spacing, 0] for px, py in positions]
        )
        self.play(Create(path), run_time=2)
        self.play(FadeIn(numbers, lag_ratio=0.02), run_time=2)

        # Highlight primes
        for k, num in enumerate(numbers):
