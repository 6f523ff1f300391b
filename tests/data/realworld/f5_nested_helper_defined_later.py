from manim import *


class BinaryTree(Scene):
    def construct(self):
        values = [8, 4, 12, 2, 6, 10, 14]
        positions = [UP * 2.5, UP * 1 + LEFT * 3, UP * 1 + RIGHT * 3,
                     DOWN * 0.5 + LEFT * 4.5, DOWN * 0.5 + LEFT * 1.5,
                     DOWN * 0.5 + RIGHT * 1.5, DOWN * 0.5 + RIGHT * 4.5]

        nodes = VGroup(*[make_node(v, p) for v, p in zip(values, positions)])
        edges = VGroup(*[
            Line(nodes[parent].get_center(), nodes[child].get_center(), buff=0.4)
            for parent, child in [(0, 1), (0, 2), (1, 3), (1, 4), (2, 5), (2, 6)]
        ])
        self.play(Create(edges), FadeIn(nodes))

        # Search for 10: 8 -> 12 -> 10
        for i in [0, 2, 5]:
            self.play(nodes[i][0].animate.set_fill(YELLOW, opacity=0.6), run_time=0.6)
        found = Text("found 10", font_size=30, color=GREEN).to_edge(DOWN)
        self.play(Write(found))
        self.wait(2)

        def make_node(value, position):
            circle = Circle(radius=0.4, color=WHITE, fill_opacity=0.1)
            label = Text(str(value), font_size=28)
            return VGroup(circle, label).move_to(position)
