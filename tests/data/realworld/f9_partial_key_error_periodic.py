from manim import *


class ElectronShells(Scene):
    def construct(self):
        title = Text("Electron shells", font_size=36).to_edge(UP)
        self.play(Write(title))
        electrons = {"H": 1, "He": 2, "Li": 3, "C": 6}
        nucleus = Dot(radius=0.2, color=RED)
        self.play(FadeIn(nucleus))
        shells = VGroup(*[Circle(radius=r, color=GREY) for r in (1, 2)])
        self.play(Create(shells))
        for element in ["H", "He", "Li", "Ne"]:
            n = electrons[element]
            label = Text(element, font_size=32).to_corner(UL)
            self.play(FadeIn(label), run_time=0.5)
            self.play(FadeOut(label), run_time=0.3)
        self.wait()
