from manimlib.imports import *


class AreaUnderParabola(GraphScene):
    CONFIG = {
        "x_min": 0,
        "x_max": 4,
        "x_axis_width": 8,
        "y_min": 0,
        "y_max": 16,
        "y_tick_frequency": 4,
        "y_axis_height": 5,
        "x_axis_label": "$x$",
        "y_axis_label": "$y$",
        "graph_origin": 3 * DOWN + 4 * LEFT,
    }

    def construct(self):
        self.setup_axes()
        parabola = self.get_graph(lambda x: x ** 2, color=YELLOW)
        self.play(ShowCreation(parabola))

        rects = self.get_riemann_rectangles(parabola, x_min=0, x_max=3, dx=0.5, stroke_width=1)
        self.play(ShowCreation(rects))
        self.wait()
        for dx in [0.25, 0.1]:
            new_rects = self.get_riemann_rectangles(parabola, x_min=0, x_max=3, dx=dx, stroke_width=0.5)
            self.play(Transform(rects, new_rects))
            self.wait(0.5)

        area = self.get_area(parabola, 0, 3)
        self.play(FadeOut(rects), FadeIn(area))
        result = TexMobject(r"\int_0^3 x^2\,dx = 9").to_corner(UR)
        self.play(Write(result))
        self.wait(2)
