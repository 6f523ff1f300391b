from manim import *


class LissajousCurve(Scene):
    def construct(self):
        a, b = 3, 2
        delta = math.pi / 2

        curve = ParametricFunction(
            lambda t: np.array([2.5 * math.sin(a * t + delta), 2.5 * math.sin(b * t), 0]),
            t_range=[0, 2 * math.pi],
            color=YELLOW,
        )
        formula = MathTex(
            r"x = \sin(3t + \tfrac{\pi}{2}), \quad y = \sin(2t)"
        ).to_edge(UP)

        self.play(Write(formula))
        self.play(Create(curve), run_time=4, rate_func=linear)

        ratio = MathTex(r"a : b = 3 : 2").next_to(formula, DOWN)
        self.play(FadeIn(ratio))
        self.wait(2)
