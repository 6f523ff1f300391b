from manim import *


class SieveOfEratosthenes(Scene):
    def construct(self):
        # Grid of numbers 1..150
        cells = VGroup()
        for n in range(1, 151):
            square = Square(side_length=0.5, stroke_width=1, color=GREY)
            label = Text(str(n), font_size=16)
            cells.add(VGroup(square, label))
        cells.arrange_in_grid(rows=10, cols=15, buff=0)
        cells.shift(LEFT * 1.5 + DOWN * 0.4)

        title = Text("Sieve of Eratosthenes", font_size=34).to_edge(UP)
        self.play(FadeIn(cells, lag_ratio=0.01), Write(title))

        # 1 is not prime
        self.play(cells[0][0].animate.set_fill(GREY, opacity=0.6), run_time=0.2)

        is_prime = [True] * 151
        colors = [RED, ORANGE, YELLOW, GREEN, TEAL, BLUE, PURPLE, PINK]
        for p in range(2, 13):
            if not is_prime[p]:
                continue
            color = colors[(p - 2) % len(colors)]
            self.play(Indicate(cells[p - 1], color=color), run_time=0.3)
            # cross out each multiple, one animation per number
            for m in range(p * p, 151, p):
                if is_prime[m]:
                    is_prime[m] = False
                    self.play(cells[m - 1][0].animate.set_fill(color, opacity=0.5), run_time=0.1)

        primes = [n for n in range(2, 151) if is_prime[n]]
        result = Text(f"{len(primes)} primes below 150", font_size=28).to_edge(DOWN)
        self.play(*[cells[p - 1][1].animate.set_color(YELLOW) for p in primes], Write(result))
        self.wait(2)
