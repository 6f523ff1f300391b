from manim import *


class ReflectionMatrix(Scene):
    def construct(self):
        plane = NumberPlane()
        self.add(plane)

        # Reflection across the line y = x
        M = np.array([[0, 1], [1, 0]])
        mirror = Line(LEFT * 4 + DOWN * 4, RIGHT * 4 + UP * 4, color=GREY)
        self.play(Create(mirror))

        points = [np.array([2, 0.5, 0]), np.array([-1, 2, 0]), np.array([1.5, -2, 0])]
        for p in points:
            dot = Dot(p, color=BLUE)
            image = Dot(M @ p, color=RED)
            self.play(FadeIn(dot))
            self.play(TransformFromCopy(dot, image))
        self.wait(2)
