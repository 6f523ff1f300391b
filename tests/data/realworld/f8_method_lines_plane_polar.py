from manim import *


class PolarRose(Scene):
    def construct(self):
        plane = PolarPlane(radius_max=3, size=6).add_coordinates()
        self.play(Create(plane))

        # fade the grid so the curve stands out
        plane.lines.set_opacity(0.3)

        rose = plane.plot_polar_graph(lambda t: 2.5 * np.sin(3 * t), [0, 2 * PI], color=PINK)
        eq = MathTex(r"r = 2.5\sin(3\theta)").to_corner(UL)
        self.play(Write(eq))
        self.play(Create(rose), run_time=4)
        self.play(rose.animate.set_stroke(width=6))
        self.wait(2)
