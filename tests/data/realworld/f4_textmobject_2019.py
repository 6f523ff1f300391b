from manimlib.imports import *


class LawOfCosines(Scene):
    CONFIG = {
        "camera_config": {"background_color": "#1e1e2e"},
        "side_colors": [BLUE, GREEN, RED],
    }

    def construct(self):
        title = TextMobject("Law of Cosines")
        title.scale(1.2).to_edge(UP)
        self.play(Write(title))

        A = np.array([-3, -1.5, 0])
        B = np.array([3, -1.5, 0])
        C = np.array([-1, 2, 0])
        a_side = Line(B, C, color=self.side_colors[0])
        b_side = Line(C, A, color=self.side_colors[1])
        c_side = Line(A, B, color=self.side_colors[2])
        self.play(ShowCreation(a_side), ShowCreation(b_side), ShowCreation(c_side))

        labels = VGroup(
            TexMobject("a").next_to(a_side.get_center(), UR, buff=0.1),
            TexMobject("b").next_to(b_side.get_center(), UL, buff=0.1),
            TexMobject("c").next_to(c_side.get_center(), DOWN),
        )
        self.play(FadeInFromDown(labels))

        angle = Arc(radius=0.5, start_angle=Line(C, A).get_angle(), angle=Line(C, B).get_angle() - Line(C, A).get_angle(), arc_center=C)
        gamma = TexMobject("\\gamma").next_to(angle, DOWN, buff=0.1)
        self.play(ShowCreation(angle), Write(gamma))

        law = TexMobject("c^2", "=", "a^2", "+", "b^2", "-", "2ab\\cos\\gamma")
        law.to_edge(DOWN)
        self.play(Write(law))
        self.play(ApplyMethod(law.set_color, YELLOW))
        self.wait(2)
