from manim import *


class InscribedAngleTheorem(Scene):
    """The inscribed angle is half the central angle subtending the same arc."""

    def construct(self):
        circle = Circle(radius=2.5, color=WHITE)
        center = Dot(ORIGIN, color=GREY)
        a = circle.point_at_angle(-20 * DEGREES)
        b = circle.point_at_angle(80 * DEGREES)
        p = circle.point_at_angle(200 * DEGREES)

        dots = VGroup(*[Dot(x, color=YELLOW) for x in (a, b, p)])
        labels = VGroup(MathTex("A").next_to(a, RIGHT), MathTex("B").next_to(b, UP), MathTex("P").next_to(p, LEFT))

        self.play(Create(circle), FadeIn(center))
        self.play(FadeIn(dots), Write(labels))

        pa, pb = Line(p, a, color=BLUE), Line(p, b, color=BLUE)
        oa, ob = Line(ORIGIN, a, color=GREEN), Line(ORIGIN, b, color=GREEN)
        self.play(Create(pa), Create(pb))
        inscribed = Angle(pa, pb, radius=0.6, color=BLUE)
        self.play(Create(inscribed))

        self.play(Create(oa), Create(ob))
        central = Angle(oa, ob, radius=0.5, color=GREEN)
        self.play(Create(central))

        relation = MathTex(r"\angle APB = \tfrac{1}{2}\angle AOB").to_corner(UL)
        self.play(Write(relation))
        self.wait(2)
