from manim import *


class BouncingBall(Scene):
    def construct(self):
        floor = Line(LEFT * FRAME_X_RADIUS, RIGHT * FRAME_X_RADIUS).shift(DOWN * (FRAME_Y_RADIUS - 0.5))
        ball = Circle(radius=0.3, color=RED, fill_opacity=1).move_to(LEFT * (FRAME_X_RADIUS - 1) + UP * 2)
        self.play(Create(floor), FadeIn(ball))

        # Bounce across the screen, each bounce lower than the last
        height = 4.0
        x = -FRAME_X_RADIUS + 1
        floor_y = floor.get_y() + 0.3
        while height > 0.2 and x < FRAME_X_RADIUS - 1:
            apex = np.array([x + 0.6, floor_y + height, 0])
            land = np.array([x + 1.2, floor_y, 0])
            arc = ArcBetweenPoints(ball.get_center(), land, angle=-PI / 2)
            self.play(MoveAlongPath(ball, arc), run_time=0.4 + height * 0.1)
            x += 1.2
            height *= 0.6
        self.wait(1)
