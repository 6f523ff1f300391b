from manim import *


class SieveOfEratosthenes(Scene):
    def construct(self):
        title = Text("Sieve of Eratosthenes", font_size=34).to_edge(UP)
        self.play(Write(title))
        cells = VGroup(*[VGroup(Square(0.7), Text(str(n), font_size=22)) for n in range(2, 32)])
        cells.arrange_in_grid(rows=5, cols=6, buff=0.05).shift(DOWN * 0.4)
        self.play(FadeIn(cells))

        # cross out multiples of 2 and 3
        for p in [2, 3]:
            anims = [cell[0].animate.set_fill(GREY, opacity=0.6) if (i + 2) % p == 0 and i + 2 != p else None
                     for i, cell in enumerate(cells)]
            self.play(*anims, run_time=1)
        primes = Text("what is left is prime", font_size=26).to_edge(DOWN)
        self.play(Write(primes))
        self.wait()
