<think>
Okay, the user wants an animation of the Fibonacci spiral. Let me think about how to build it in Manim.

I need squares with side lengths 1, 1, 2, 3, 5, 8, arranged so that each new square is attached to the previous rectangle, and then quarter circle arcs inside each square. The direction cycles right, up, left, down.

Let me write the code with a loop that places each square next to the bounding box of the previous ones.
</think>

```python
from manim import *


class FibonacciSpiral(Scene):
    def construct(self):
        fib = [1, 1, 2, 3, 5, 8]
        scale = 0.35
        directions = [RIGHT, UP, LEFT, DOWN]
        colors = [BLUE, TEAL, GREEN, YELLOW, ORANGE, RED]

        squares = VGroup()
        arcs = VGroup()
        for i, n in enumerate(fib):
            sq = Square(side_length=n * scale, color=colors[i], fill_opacity=0.3)
            if i > 0:
                d = directions[i % 4]
                sq.next_to(squares, d, buff=0)
                if d is RIGHT or d is LEFT:
                    sq.align_to(squares, DOWN if d is RIGHT else UP)
                else:
                    sq.align_to(squares, RIGHT if d is UP else LEFT)
            squares.add(sq)
            corner = [DL, DR, UR, UL][i % 4]
            arc = Arc(radius=n * scale, start_angle=(i % 4) * PI / 2 - PI, angle=-PI / 2 + PI,
                      arc_center=sq.get_corner(corner), color=WHITE)
            arcs.add(arc)

        group = VGroup(squares, arcs).move_to(ORIGIN)
        for sq, arc in zip(squares, arcs):
            self.play(DrawBorderThenFill(sq), run_time=0.5)
            self.play(Create(arc), run_time=0.5)

        ratio = MathTex(r"\frac{8}{5} = 1.6 \approx \varphi").to_edge(UP)
        self.play(Write(ratio))
        self.wait(2)
```

This creates the golden spiral from quarter circles inscribed in Fibonacci squares.
