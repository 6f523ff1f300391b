from manim import *


class ZoomOnFractalDetail(MovingCameraScene):
    def construct(self):
        # Koch snowflake, built iteratively
        def koch(points, depth):
            if depth == 0:
                return points
            new = []
            for p, q in zip(points[:-1], points[1:]):
                d = (q - p) / 3
                a = p + d
                b = p + 2 * d
                peak = a + rotate_vector(d, PI / 3)
                new += [p, a, peak, b]
            new.append(points[-1])
            return koch(new, depth - 1)

        tri = [rotate_vector(UP * 2.5, -i * TAU / 3) for i in range(4)]
        snow = VMobject(color=BLUE).set_points_as_corners(koch(tri, 3))

        self.play(Create(snow), run_time=2)
        self.camera.frame.save_state()
        self.play(self.camera.frame.animate.scale(0.3).move_to(snow.get_top()), run_time=2)
        self.wait()
        self.play(Restore(self.camera.frame), run_time=1.5)
        self.wait(0.5)
