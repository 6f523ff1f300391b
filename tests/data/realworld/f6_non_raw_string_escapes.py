from manim import *


class PolarCoordinates(Scene):
    def construct(self):
        plane = PolarPlane(radius_max=3, size=6).add_coordinates()
        self.play(Create(plane), run_time=2)

        theta = 50 * DEGREES
        r = 2.5
        point = plane.polar_to_point(r, theta)
        dot = Dot(point, color=YELLOW)
        ray = Line(plane.get_center(), point, color=YELLOW)
        arc = Arc(radius=0.7, start_angle=0, angle=theta, arc_center=plane.get_center(), color=ORANGE)

        theta_label = MathTex("\theta", color=ORANGE).next_to(arc, RIGHT, buff=0.1)
        r_label = MathTex("r", color=YELLOW).next_to(ray.get_center(), UL, buff=0.1)
        self.play(Create(ray), FadeIn(dot), Create(arc), Write(theta_label), Write(r_label))

        conversion = MathTex("x = r\cos\theta, \quad y = r\sin\theta").to_corner(UL)
        area = MathTex("dA = r\,dr\,d\theta = \frac{1}{2} r^2 d\theta").to_corner(DL)
        self.play(Write(conversion))
        self.play(Write(area))
        self.wait(2)
