from manim import *


class SphereVolume(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=70 * DEGREES, theta=30 * DEGREES)
        sphere = Sphere(radius=1.5, resolution=(16, 32)).set_color(BLUE)
        self.play(Create(sphere), run_time=2)

        formula = MathTex(r"V = \tfrac43 \pi r^3").to_corner(UR)
        self.add_fixed_in_frame_mobjects(formula)
        self.play(Write(formula))

        # swing the camera around
        self.play(self.camera.frame.animate.increment_theta(90 * DEGREES), run_time=3)
        self.play(sphere.animate.scale(0.5))
        self.wait()
