from manim import *


class LatticePointsInCircle(Scene):
    """Gauss circle problem: count lattice points inside a circle of radius 6, one at a time."""

    def construct(self):
        r = 6
        unit = 0.5
        circle = Circle(radius=r * unit, color=BLUE)
        grid = NumberPlane(x_range=[-7, 7], y_range=[-7, 7], x_length=7, y_length=7,
                           background_line_style={"stroke_opacity": 0.25})
        self.play(Create(grid), Create(circle))

        count = Integer(0).to_corner(UR)
        label = Text("points:", font_size=26).next_to(count, LEFT)
        self.add(label, count)

        points = [(x, y) for x in range(-r, r + 1) for y in range(-r, r + 1) if x * x + y * y <= r * r]
        points.sort(key=lambda p: (p[0] ** 2 + p[1] ** 2, np.arctan2(p[1], p[0])))
        for k, (x, y) in enumerate(points, start=1):
            dot = Dot([x * unit, y * unit, 0], radius=0.05, color=YELLOW)
            count.set_value(k)
            self.play(FadeIn(dot, scale=0.5), run_time=0.05)

        estimate = MathTex(rf"N(6) = {len(points)} \approx \pi \cdot 36 \approx 113").to_edge(DOWN)
        self.play(Write(estimate))
        self.wait(1)
