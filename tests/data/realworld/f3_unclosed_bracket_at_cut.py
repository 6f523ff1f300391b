from manim import *


class SortingNetwork(Scene):
    def construct(self):
        n = 4
        wires = VGroup(*[Line(LEFT * 5, RIGHT * 5).shift(UP * (1.5 - i)) for i in range(n)])
        labels = VGroup(*[MathTex(f"x_{i}").next_to(w, LEFT) for i, w in enumerate(wires)])
        self.play(Create(wires), Write(labels))

        comparators = [(0, 1), (2, 3), (0, 2), (1, 3), (1, 2)]
        xs = [-3.5, -3.5, -1, 1, 3]
        for (a, b), x in zip(comparators, xs):
            comp = VGroup(
                Dot(wires[a].point_from_proportion(0.5) + RIGHT * x),
                Dot(wires[b].point_from_proportion(0.5) + RIGHT * x),
                Line(wires[a].point_from_proportion(0.5) + RIGHT * x, wires[b].point_from_proportion(0.5) + RIGHT * x),
            ).set_color(YELLOW)
            self.play(Create(comp), run_time=0.5)

        values = [3, 1, 4, 2]
        tokens = VGroup(*[
            Circle(radius=0.25, color=BLUE, fill_opacity=0.8).move_to(wires[i].get_start()).add(
                Text(str(v), font_size=24).move_to(wires[i].get_start())
            )
            for i, v in enumerate(values)
        ])
        self.play(FadeIn(tokens))
        self.play(
            *[t.animate.move_to(wires[i].get_end()) for i, t in enumerate(tokens)],
            run_time=3,
        )
        sorted_label = Text("sorted", font_size=30, color=GREEN).to_edge(DOWN)
        self.play(Write(sorted_label))
        self.wait(1)

        # Highlight the depth of the network
        depth_braces = VGroup(
            Brace(VGroup(*wires), UP),
            Text("depth 3", font_size=24