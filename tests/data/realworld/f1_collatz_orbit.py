from manim import *


def collatz(n):
    seq = [n]
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        seq.append(n)
    return seq


class CollatzOrbit(Scene):
    def construct(self):
        seq = collatz(27)
        axes = Axes(
            x_range=[0, len(seq), 10],
            y_range=[0, 10000, 2000],
            x_length=11,
            y_length=5.5,
            axis_config={"include_numbers": True, "font_size": 18},
        ).to_edge(DOWN)
        title = Text("Collatz orbit of 27", font_size=32).to_edge(UP)
        self.play(Create(axes), Write(title))

        value = Integer(seq[0]).to_corner(UR)
        self.add(value)
        prev = Dot(axes.c2p(0, seq[0]), radius=0.04, color=YELLOW)
        self.add(prev)
        for i, v in enumerate(seq[1:], start=1):
            dot = Dot(axes.c2p(i, v), radius=0.04, color=YELLOW if v % 2 == 0 else RED)
            line = Line(prev.get_center(), dot.get_center(), stroke_width=1.5, color=GREY_B)
            value.set_value(v)
            self.play(Create(line), FadeIn(dot), run_time=0.06)
            prev = dot

        peak = max(seq)
        note = Text(f"{len(seq) - 1} steps, peak {peak}", font_size=28).next_to(title, DOWN)
        self.play(Write(note))
        self.wait(1)
