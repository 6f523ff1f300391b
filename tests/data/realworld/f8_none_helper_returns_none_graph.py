from manim import *


class BreadthFirstSearch(Scene):
    def highlight(self, node, color=YELLOW):
        node.set_fill(color, opacity=0.8)

    def construct(self):
        title = Text("Breadth-first search", font_size=34).to_edge(UP)
        self.play(Write(title))
        vertices = [1, 2, 3, 4, 5, 6]
        edges = [(1, 2), (1, 3), (2, 4), (2, 5), (3, 6)]
        g = Graph(vertices, edges, layout="tree", root_vertex=1, labels=True).shift(DOWN * 0.5)
        self.play(Create(g))
        for level in [[1], [2, 3], [4, 5, 6]]:
            self.play(*[self.highlight(g.vertices[v]) for v in level])
            self.wait(0.3)
        self.wait()
