from manim import *


class KeplerOrbit(Scene):
    def construct(self):
        title = Text("Kepler's first law", font_size=36).to_edge(UP)
        self.play(Write(title))

        orbit = Ellipse(width=7, height=4.5, color=BLUE)
        sun = Dot(RIGHT * 1.5, radius=0.2, color=YELLOW)
        self.play(Create(orbit), FadeIn(sun))

        planet = Dot(orbit.point_from_proportion(0), color=TEAL)
        self.play(FadeIn(planet))
        self.play(MoveAlongPath(planet, orbit), run_time=4, rate_func=linear)

        focus = sun.get_center(ORIGIN)
        label = Text("Sun at a focus", font_size=24).next_to(focus, DOWN)
        self.play(Write(label))
        self.wait()
