from manim import *


class GradientDescent1D(Scene):
    def construct(self):
        # Loss curve L(w) = (w - 1)^2 + 0.5
        axes = Axes(x_range=[-2, 4, 1], y_range=[0, 10, 2], x_length=8, y_length=5)
        loss = lambda w: (w - 1) ** 2 + 0.5
        curve = axes.plot(loss, x_range=[-2, 4], color=BLUE)
        axis_labels = axes.get_axis_labels(x_label="w", y_label="L(w)")

        self.play(Create(axes), Write(axis_labels))
        self.play(Create(curve))

        # Gradient descent parameters
        lr = 0.3
        w = -1.5
        w_tracker = ValueTracker(w)

        ball = always_redraw(
            lambda: Dot(axes.c2p(w_tracker.get_value(), loss(w_tracker.get_value())), color=RED, radius=0.12)
        )
        w_value = always_redraw(
            lambda: MathTex(f"w = {w_tracker.get_value():.2f}").to_corner(UR)
        )
        self.play(FadeIn(ball), FadeIn(w_value))

        update_rule = MathTex(r"w \leftarrow w - \eta \nabla L(w)").to_corner(UL)
        self.play(Write(update_rule))

        for step in range(6):
            grad = 2 * (w - 1)
            w = w - lr * grad
            self.play(w_tracker.animate.set_value(w), run_time=0.7)

        minimum = Text("minimum reached", font_size=28, color=GREEN).next_to(ball, DOWN)
        self.play(FadeIn(minimum))
        self.wait(2)
