from manim import *


class RotationMatrix(Scene):
    def construct(self):
        plane = NumberPlane()
        vector = Vector([2, 1], color=YELLOW)
        label = MathTex(r"\vec v").next_to(vector.get_end(), RIGHT)
        self.add(plane)
        self.play(GrowArrow(vector), Write(label))

        matrix = MathTex(
            r"R(\theta) = \begin{bmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta \end{bmatrix}"
        ).to_corner(UL).add_background_rectangle()
        self.play(Write(matrix))

        # Rotate by 90 degrees, then by another 45
        self.play(vector.rotate, PI / 2, {"about_point": ORIGIN})
        self.play(label.move_to, vector.get_end() + UP * 0.4)
        self.play(vector.rotate, PI / 4, {"about_point": ORIGIN}, run_time=1.5)
        self.wait(2)
