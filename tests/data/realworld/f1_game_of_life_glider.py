from manim import *
import numpy as np

SIZE = 12


class GameOfLife(Scene):
    def construct(self):
        grid = np.zeros((SIZE, SIZE), dtype=int)
        # a glider and a blinker
        for r, c in [(1, 2), (2, 3), (3, 1), (3, 2), (3, 3), (8, 8), (8, 9), (8, 10)]:
            grid[r, c] = 1

        cells = VGroup(*[
            Square(side_length=0.5, stroke_width=1, stroke_color=GREY_D, fill_opacity=1,
                   fill_color=WHITE if grid[r, c] else BLACK)
            for r in range(SIZE) for c in range(SIZE)
        ]).arrange_in_grid(rows=SIZE, cols=SIZE, buff=0)
        title = Text("Conway's Game of Life", font_size=30).to_edge(UP)
        gen = Integer(0).to_corner(UR)
        self.play(FadeIn(cells), Write(title))
        self.add(gen)

        def step(g):
            padded = np.pad(g, 1, mode="wrap")[:-2, :-2] * 0
            neighbours = sum(np.roll(np.roll(g, dr, 0), dc, 1)
                             for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0))
            return ((neighbours == 3) | ((g == 1) & (neighbours == 2))).astype(int) + padded

        for generation in range(1, 121):
            new = step(grid)
            changed = [(r, c) for r in range(SIZE) for c in range(SIZE) if new[r, c] != grid[r, c]]
            anims = [cells[r * SIZE + c].animate.set_fill(WHITE if new[r, c] else BLACK) for r, c in changed]
            gen.set_value(generation)
            if anims:
                self.play(*anims, run_time=0.1)
            else:
                self.wait(0.1)
            grid = new
        self.wait(1)
