from manim import *


class SelectionSort(Scene):
    def construct(self):
        title = Text("Selection sort", font_size=36).to_edge(UP)
        self.play(Write(title))
        values = [5, 2, 8, 1, 4]
        boxes = VGroup(*[VGroup(Square(0.9), Text(str(v), font_size=30)) for v in values]).arrange(RIGHT, buff=0.2)
        self.play(Create(boxes))

        # the minimum goes to the front
        smallest = boxes[3]
        self.play(smallest[0].animate.set_fill(GREEN, opacity=0.5), self.wait(0.5))
        self.play(smallest.animate.shift(UP * 1.2), boxes[0].animate.shift(DOWN * 1.2))
        self.play(smallest.animate.move_to(boxes[0].get_center() + UP * 2.4).shift(DOWN * 1.2),
                  boxes[0].animate.move_to(smallest.get_center() + DOWN * 1.2).shift(UP * 1.2))
        self.wait()
