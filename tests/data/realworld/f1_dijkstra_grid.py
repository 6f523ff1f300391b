from manim import *
import heapq
import random


class DijkstraGrid(Scene):
    def construct(self):
        random.seed(5)
        rows, cols = 5, 7
        spacing = 1.4
        nodes = {}
        for r in range(rows):
            for c in range(cols):
                pos = np.array([(c - (cols - 1) / 2) * spacing, ((rows - 1) / 2 - r) * spacing * 0.9, 0])
                nodes[(r, c)] = Dot(pos, radius=0.12, color=GREY_B)

        edges = {}
        weights = {}
        for (r, c) in nodes:
            for dr, dc in [(0, 1), (1, 0)]:
                nb = (r + dr, c + dc)
                if nb in nodes:
                    w = random.randint(1, 9)
                    weights[((r, c), nb)] = weights[(nb, (r, c))] = w
                    edges[frozenset(((r, c), nb))] = Line(nodes[(r, c)].get_center(), nodes[nb].get_center(),
                                                         stroke_width=2, color=GREY_D)

        self.play(FadeIn(VGroup(*edges.values())), FadeIn(VGroup(*nodes.values())))
        weight_labels = VGroup(*[
            Text(str(weights[tuple(e)]) if len(e) == 2 else "", font_size=16).move_to(line.get_center() + UP * 0.15)
            for e, line in edges.items()
        ])
        self.play(FadeIn(weight_labels))

        start = (0, 0)
        dist = {start: 0}
        heap = [(0, start)]
        visited = set()
        self.play(nodes[start].animate.set_color(GREEN).scale(1.5), run_time=0.3)
        while heap:
            d, u = heapq.heappop(heap)
            if u in visited:
                continue
            visited.add(u)
            self.play(nodes[u].animate.set_color(YELLOW), run_time=0.15)
            for dr, dc in [(0, 1), (1, 0), (0, -1), (-1, 0)]:
                v = (u[0] + dr, u[1] + dc)
                if v not in nodes or v in visited:
                    continue
                nd = d + weights[(u, v)]
                line = edges[frozenset((u, v))]
                self.play(line.animate.set_color(ORANGE), run_time=0.1)
                if nd < dist.get(v, 10**9):
                    dist[v] = nd
                    heapq.heappush(heap, (nd, v))
                    self.play(nodes[v].animate.set_color(BLUE), run_time=0.1)
                self.play(line.animate.set_color(GREY_D), run_time=0.05)

        far = max(dist, key=dist.get)
        self.play(Flash(nodes[far]), run_time=0.5)
        self.wait(1)
