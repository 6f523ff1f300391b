from manim import *
import numpy as np


class WaterMolecule(Scene):
    def construct(self):
        title = Text("The water molecule", font_size=34).to_edge(UP)
        self.play(Write(title))
        oxygen = Circle(radius=0.7, color=RED, fill_opacity=0.8)
        h1 = Circle(radius=0.4, color=WHITE, fill_opacity=0.8).move_to(oxygen.get_center() + 1.2 * np.array([np.cos(-0.9), np.sin(-0.9), 0]))
        h2 = Circle(radius=0.4, color=WHITE, fill_opacity=0.8).move_to(oxygen.get_center() + 1.2 * np.array([np.cos(-2.24), np.sin(-2.24), 0]))
        thumb = ImageMobject(np.full((4, 4), 200, dtype=np.uint8)).scale(0.2).to_corner(DR)
        molecule = Group(oxygen, h1, h2, thumb)
        self.play(Write(molecule))
        angle = MathTex(r"104.5^\circ").next_to(oxygen, DOWN, buff=0.9)
        self.play(Write(angle))
        self.wait()
