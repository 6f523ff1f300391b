from manim import *


class CircleAreaSectors(Scene):
    """Cut a circle into sectors and rearrange them into an almost-rectangle."""

    def construct(self):
        n = 12
        r = 1.5
        sectors = VGroup()
        for i in range(n):
            color = BLUE if i % 2 == 0 else TEAL
            s = Sector(radius=r, angle=TAU / n, start_angle=i * TAU / n, fill_color=color, fill_opacity=0.8, stroke_width=1)
            sectors.add(s)
        sectors.shift(LEFT * 3.5)

        area = MathTex(r"A = \pi r^2").to_edge(UP)
        self.play(Create(sectors), run_time=2)
        self.wait(0.5)

        # Rearrange: alternate sectors point up and down
        targets = VGroup()
        width = 2 * PI * r / n
        for i, s in enumerate(sectors):
            t = s.copy()
            t.rotate(-(i * TAU / n) - TAU / (2 * n) + (PI / 2 if i % 2 else -PI / 2))
            t.move_to(RIGHT * (0.5 + i * width / 2) + (UP * 0.2 if i % 2 else DOWN * 0.2))
            targets.add(t)
        self.play(Transform(sectors, targets), run_time=2.5)

        brace_w = Brace(sectors, DOWN)
        brace_h = Brace(sectors, RIGHT)
        w_label = brace_w.get_tex(r"\pi r")
        h_label = brace_h.get_tex("r")
        self.play(GrowFromCenter(brace_w), GrowFromCenter(brace_h), Write(w_label), Write(h_label))
        self.play(Write(area))
        self.wait(2)
