from manim import *


class ZoomIntoTangent(Scene):
    def construct(self):
        axes = Axes(x_range=[-1, 3, 1], y_range=[-1, 5, 1], x_length=6, y_length=6)
        curve = axes.plot(lambda x: x**2 / 2 + 0.5, x_range=[-1, 2.8], color=BLUE)
        point = Dot(axes.c2p(1, 1), color=YELLOW)
        self.play(Create(axes), Create(curve), FadeIn(point))

        # Zoom in: locally the curve looks like a straight line
        self.camera.frame.save_state()
        self.play(self.camera.frame.animate.scale(0.2).move_to(point), run_time=3)
        note = Text("locally linear", font_size=10).next_to(point, UP, buff=0.1)
        self.play(FadeIn(note))
        self.wait(1)
        self.play(Restore(self.camera.frame), FadeOut(note), run_time=2)
        self.wait(1)
