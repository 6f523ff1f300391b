from manimlib import *


class ComplexRoots(Scene):
    def construct(self):
        plane = ComplexPlane()
        plane.add_coordinate_labels(font_size=20)
        self.add(plane)

        # The 5th roots of unity
        n = 5
        roots = [np.exp(2j * PI * k / n) for k in range(n)]
        dots = VGroup(*[Dot(plane.n2p(2 * z), color=YELLOW) for z in roots])
        polygon = Polygon(*[plane.n2p(2 * z) for z in roots])
        polygon.set_stroke(YELLOW, 2)

        equation = Tex("z^5 = 1")
        equation.to_corner(UL)
        equation.set_backstroke(width=8)

        self.play(Write(equation))
        self.play(LaggedStartMap(FadeIn, dots, scale=0.5, lag_ratio=0.2))
        self.play(ShowCreation(polygon))
        self.wait(2)
