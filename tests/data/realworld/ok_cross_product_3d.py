from manim import *


class CrossProduct3D(ThreeDScene):
    def construct(self):
        self.set_camera_orientation(phi=65 * DEGREES, theta=30 * DEGREES)
        axes = ThreeDAxes(x_range=[-3, 3], y_range=[-3, 3], z_range=[-3, 3], x_length=6, y_length=6, z_length=5)
        self.play(Create(axes))

        a = np.array([2, 0, 0])
        b = np.array([1, 2, 0])
        c = np.cross(a, b) / 2  # scaled down to fit

        vec_a = Arrow(ORIGIN, axes.c2p(*a), buff=0, color=BLUE)
        vec_b = Arrow(ORIGIN, axes.c2p(*b), buff=0, color=GREEN)
        vec_c = Arrow(ORIGIN, axes.c2p(*c), buff=0, color=RED)

        formula = MathTex(r"\vec a \times \vec b \perp \vec a, \vec b").to_corner(UL)
        self.add_fixed_in_frame_mobjects(formula)
        formula.set_opacity(0)

        self.play(Create(vec_a), Create(vec_b))
        self.play(Create(vec_c), formula.animate.set_opacity(1))

        parallelogram = Polygon(
            axes.c2p(0, 0, 0), axes.c2p(*a), axes.c2p(*(a + b)), axes.c2p(*b),
            fill_color=YELLOW, fill_opacity=0.3, stroke_width=1,
        )
        self.play(Create(parallelogram))
        self.move_camera(theta=80 * DEGREES, run_time=2)
        self.wait()
