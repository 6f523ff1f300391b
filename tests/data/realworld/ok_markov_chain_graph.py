from manim import *


class WeatherMarkovChain(Scene):
    def construct(self):
        states = ["Sunny", "Cloudy", "Rainy"]
        colors = [YELLOW, GREY_B, BLUE]
        positions = [LEFT * 4, UP * 1.5, RIGHT * 4]

        nodes = VGroup()
        for name, color, pos in zip(states, colors, positions):
            circle = Circle(radius=0.8, color=color, fill_opacity=0.25)
            label = Text(name, font_size=24)
            nodes.add(VGroup(circle, label).move_to(pos + DOWN * 0.5))

        transitions = [(0, 1, "0.3"), (1, 2, "0.4"), (2, 0, "0.2"), (1, 0, "0.3")]
        arrows = VGroup()
        probs = VGroup()
        for i, j, p in transitions:
            arrow = CurvedArrow(nodes[i].get_center(), nodes[j].get_center(), angle=-PI / 4)
            arrow.scale(0.6)
            arrows.add(arrow)
            probs.add(MathTex(p, font_size=30).move_to(arrow.point_from_proportion(0.5) + UP * 0.3))

        self.play(LaggedStart(*[FadeIn(n) for n in nodes], lag_ratio=0.3))
        self.play(LaggedStart(*[Create(a) for a in arrows], lag_ratio=0.3))
        self.play(Write(probs))

        walker = Dot(color=RED, radius=0.12).move_to(nodes[0])
        self.play(FadeIn(walker))
        for k in [1, 2, 0, 1]:
            self.play(walker.animate.move_to(nodes[k]), run_time=0.6)
        self.wait(1)
