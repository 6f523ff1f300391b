from manim import *


class ScreenGrid(Scene):
    def construct(self):
        # Vertical and horizontal lines covering the whole frame
        v_lines = VGroup(*[
            Line(UP * FRAME_HEIGHT / 2, DOWN * FRAME_HEIGHT / 2, stroke_width=1, color=GREY)
            .shift(RIGHT * x) for x in np.arange(-FRAME_WIDTH / 2, FRAME_WIDTH / 2 + 0.1, 1)
        ])
        h_lines = VGroup(*[
            Line(LEFT * FRAME_WIDTH / 2, RIGHT * FRAME_WIDTH / 2, stroke_width=1, color=GREY)
            .shift(UP * y) for y in np.arange(-FRAME_HEIGHT / 2, FRAME_HEIGHT / 2 + 0.1, 1)
        ])
        self.play(Create(v_lines), Create(h_lines), run_time=2)

        size = Text(f"{FRAME_WIDTH:.1f} x {FRAME_HEIGHT:.1f} units", font_size=36).add_background_rectangle()
        self.play(Write(size))
        self.wait(2)
