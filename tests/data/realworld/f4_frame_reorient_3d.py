from manimlib import *


class TorusSurface(ThreeDScene):
    def construct(self):
        frame = self.camera.frame
        frame.reorient(-30, 70)

        axes = ThreeDAxes(x_range=[-3, 3], y_range=[-3, 3], z_range=[-2, 2])
        self.add(axes)

        torus = Torus(r1=2, r2=0.5, resolution=(20, 10))
        torus.set_color(BLUE_D)
        torus.set_opacity(0.8)

        title = Text("A torus")
        title.fix_in_frame()
        title.to_corner(UL)

        self.play(ShowCreation(torus), Write(title))
        self.play(frame.animate.reorient(30, 50), run_time=3)
        self.wait()
