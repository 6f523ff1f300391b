from manim import *


class FibonacciSquares(Scene):
    def construct(self):
        title = Text("Fibonacci spiral", font_size=36).to_edge(UP)
        self.play(Write(title))
        fib = [1, 1, 2, 3, 5]
        squares = VGroup()
        colors = [BLUE, GREEN, YELLOW, ORANGE, RED]
        for i, f in enumerate(fib):
            sq = Square(side_length=f * 0.5, color=colors[i], fill_opacity=0.4)
            if squares:
                sq.next_to(squares, [RIGHT, UP, LEFT, DOWN][i % 4], buff=0)
            squares.add(sq)
            self.play(DrawBorderThenFill(sq), run_time=0.6)
        # add the next one
        nxt = fib[5] + fib[4]
        self.play(Write(Text(str(nxt)).to_corner(DR)))
        self.wait()
