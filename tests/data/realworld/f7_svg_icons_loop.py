from manim import *


class ClientServerRequest(Scene):
    def construct(self):
        names = ["laptop", "server", "database"]
        positions = [LEFT * 5, ORIGIN, RIGHT * 5]

        icons = Group()
        for name, pos in zip(names, positions):
            icon = SVGMobject(f"icons/{name}.svg").scale(0.8).move_to(pos)
            label = Text(name, font_size=24).next_to(icon, DOWN)
            icons.add(Group(icon, label))
        self.play(LaggedStart(*[FadeIn(i) for i in icons], lag_ratio=0.3))

        request = Arrow(icons[0].get_right(), icons[1].get_left(), color=YELLOW)
        query = Arrow(icons[1].get_right(), icons[2].get_left(), color=ORANGE)
        self.play(GrowArrow(request))
        self.play(GrowArrow(query))

        packet = Dot(color=GREEN).move_to(icons[2].get_left())
        self.play(packet.animate.move_to(icons[0].get_right()), run_time=2)
        self.wait(1)
