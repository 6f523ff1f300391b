from manim import *
import numpy as np


class HeatmapGradient(Scene):
    def construct(self):
        title = Text("Temperature along a rod", font_size=34).to_edge(UP)
        self.play(Write(title))

        # cold to hot: the colour of each cell goes from blue to red
        cold_to_hot = [0.1, 0.3, 0.9, 0.95, 0.2, 0.1]
        rod = VGroup(*[Square(0.7) for _ in range(10)]).arrange(RIGHT, buff=0.05)
        rod.set_color(cold_to_hot)
        self.play(Create(rod))

        for i, cell in enumerate(rod):
            t = i / 9
            cell.set_fill(interpolate_color(BLUE, RED, t), opacity=0.8)
        self.play(*[cell.animate.set_stroke(WHITE, 1) for cell in rod])

        label = MathTex(r"T(x) = T_0 + \Delta T \cdot \frac{x}{L}").next_to(rod, DOWN, buff=0.8)
        self.play(Write(label))
        self.wait()
