from manim import *


class ProgrammingLanguages(Scene):
    def construct(self):
        title = Text("Survey: favourite language", font_size=36).to_edge(UP)
        values = [45, 30, 15, 10]
        names = ["Python", "JS", "Rust", "Go"]

        chart = BarChart(
            values,
            max_value=50,
            bar_names=names,
            bar_colors=[BLUE, YELLOW, ORANGE, TEAL],
            bar_label_scale_val=0.6,
            height=4,
            width=8,
        )
        self.play(Write(title))
        self.play(Create(chart), run_time=2)
        self.wait()

        # Update the data: Rust grows
        self.play(chart.animate.change_bar_values([40, 28, 22, 10]))
        self.wait(2)
