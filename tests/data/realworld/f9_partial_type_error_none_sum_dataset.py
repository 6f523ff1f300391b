from manim import *


class MeanOfDataset(Scene):
    def construct(self):
        title = Text("Mean of a dataset", font_size=36).to_edge(UP)
        self.play(Write(title))
        data = [3, 7, 4, 9, None, 5]
        dots = VGroup()
        for i, d in enumerate(data[:4]):
            dot = Dot([-3 + 1.5 * i, (d - 5) * 0.4, 0], color=BLUE)
            dots.add(dot)
            self.play(FadeIn(dot, scale=2), run_time=0.4)
        # the mean line, over all the values we collected
        mean = sum(data) / len(data)
        line = DashedLine([-4, (mean - 5) * 0.4, 0], [4, (mean - 5) * 0.4, 0], color=YELLOW)
        self.play(Create(line))
        self.wait()
