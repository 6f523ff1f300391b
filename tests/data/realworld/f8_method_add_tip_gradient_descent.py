from manim import *


class GradientDescent1D(Scene):
    def construct(self):
        title = Text("Gradient descent", font_size=36).to_edge(UP)
        self.play(Write(title))

        ax = Axes(x_range=[-3, 3], y_range=[0, 9], x_length=8, y_length=4.5).shift(DOWN * 0.5)
        loss = ax.plot(lambda w: w ** 2, color=BLUE)
        self.play(Create(ax), Create(loss))

        w = 2.6
        lr = 0.3
        dot = Dot(ax.c2p(w, w ** 2), color=RED)
        self.play(FadeIn(dot))
        for step in range(5):
            grad = 2 * w
            new_w = w - lr * grad
            arrow = Arrow(ax.c2p(w, w ** 2), ax.c2p(new_w, new_w ** 2), buff=0.1, color=YELLOW)
            arrow.add_arrow_tip()
            self.play(GrowArrow(arrow), dot.animate.move_to(ax.c2p(new_w, new_w ** 2)), run_time=0.8)
            self.remove(arrow)
            w = new_w
        rule = MathTex(r"w \leftarrow w - \eta \nabla L(w)").to_corner(UR)
        self.play(Write(rule))
        self.wait()
