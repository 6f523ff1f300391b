from manim import *


class QueueOperations(Scene):
    def construct(self):
        title = Text("A queue: first in, first out", font_size=34).to_edge(UP)
        self.play(Write(title))
        queue = VGroup()
        for v in [4, 7, 1]:
            cell = VGroup(Square(0.9, color=BLUE), Text(str(v), font_size=30))
            if queue:
                cell.next_to(queue, RIGHT, buff=0.1)
            queue.add(cell)
            self.play(FadeIn(cell, shift=LEFT), run_time=0.6)
        front = queue[0]
        self.play(front.animate.shift(UP * 1.5).set_opacity(0.3))
        queue.remove(front)
        self.play(queue.animate.shift(LEFT))
        # dequeue again from an empty helper
        removed = {}.get("front")
        self.play(removed.animate.shift(UP))
        self.wait()
