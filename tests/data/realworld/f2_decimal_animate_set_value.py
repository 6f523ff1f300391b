from manim import *


class RadioactiveDecay(Scene):
    def construct(self):
        title = Text("Radioactive decay: half-life of 5 years", font_size=34).to_edge(UP)
        self.play(Write(title))

        atoms = DecimalNumber(1000, num_decimal_places=1, font_size=72)
        unit = Text("atoms", font_size=36).next_to(atoms, RIGHT)
        year = Integer(0, font_size=40).next_to(atoms, DOWN, buff=1)
        year_label = Text("year", font_size=30).next_to(year, LEFT)
        self.play(FadeIn(atoms), FadeIn(unit), FadeIn(year), FadeIn(year_label))

        n = 1000.0
        for y in range(1, 31):
            n *= 0.5 ** (1 / 5)
            self.play(
                atoms.animate.set_value(n),
                year.animate.set_value(y),
                run_time=0.3,
            )

        formula = MathTex(r"N(t) = N_0 \left(\tfrac{1}{2}\right)^{t / T_{1/2}}").next_to(year, DOWN, buff=0.8)
        self.play(Write(formula))
        self.wait(2)
