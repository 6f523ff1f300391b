from manim import *


class MarketSharePie(Scene):
    def construct(self):
        shares = [("A", 0.4, BLUE), ("B", 0.3, GREEN), ("C", 0.2, ORANGE), ("D", 0.1, RED)]
        pie = VGroup()
        labels = VGroup()
        start = 0
        for name, share, color in shares:
            angle = share * TAU
            sector = Sector(outer_radius=2, start_angle=start, angle=angle, color=color, fill_opacity=0.9)
            mid = start + angle / 2
            label = Text(f"{name} {int(share * 100)}%", font_size=24).move_to(2.7 * np.array([np.cos(mid), np.sin(mid), 0]))
            pie.add(sector)
            labels.add(label)
            start += angle

        title = Text("Market share", font_size=36).to_edge(UP)
        self.play(Write(title))
        self.play(LaggedStart(*[DrawBorderThenFill(s) for s in pie], lag_ratio=0.3))
        self.play(FadeIn(labels))
        self.play(pie[0].animate.shift(0.3 * RIGHT + 0.2 * UP))
        self.wait(2)
