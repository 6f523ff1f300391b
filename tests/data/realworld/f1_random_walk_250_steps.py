from manim import *
import numpy as np


class RandomWalk2D(Scene):
    def construct(self):
        rng = np.random.default_rng(2024)
        plane = NumberPlane(x_range=[-8, 8], y_range=[-5, 5], background_line_style={"stroke_opacity": 0.3})
        self.add(plane)

        title = Text("2D random walk, 250 steps", font_size=30).to_edge(UP).add_background_rectangle()
        self.play(FadeIn(title))

        walker = Dot(ORIGIN, color=YELLOW)
        path = VMobject(color=YELLOW, stroke_width=2)
        path.set_points_as_corners([ORIGIN, ORIGIN])
        self.add(path, walker)

        steps = [UP, DOWN, LEFT, RIGHT]
        points = [ORIGIN]
        for i in range(250):
            step = steps[rng.integers(4)] * 0.25
            new_point = points[-1] + step
            points.append(new_point)
            new_path = VMobject(color=YELLOW, stroke_width=2).set_points_as_corners(points)
            self.play(walker.animate.move_to(new_point), Transform(path, new_path), run_time=0.05)

        distance = np.linalg.norm(points[-1])
        result = MathTex(rf"|X_{{250}}| = {distance:.2f} \quad \sqrt{{250}}\cdot 0.25 \approx 3.95")
        result.to_edge(DOWN).add_background_rectangle()
        self.play(Write(result))
        self.wait(2)
