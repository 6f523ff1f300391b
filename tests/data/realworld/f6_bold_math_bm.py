from manim import *


class LinearRegressionNormalEquation(Scene):
    def construct(self):
        model = MathTex(r"\bm{y} = X\bm{\beta} + \bm{\varepsilon}", font_size=60)
        self.play(Write(model))
        self.wait()
        self.play(model.animate.to_edge(UP))

        loss = MathTex(r"L(\bm{\beta}) = \|\bm{y} - X\bm{\beta}\|^2")
        gradient = MathTex(r"\nabla L = -2X^\top(\bm{y} - X\bm{\beta}) = 0")
        solution = MathTex(r"\hat{\bm{\beta}} = (X^\top X)^{-1} X^\top \bm{y}", color=YELLOW)
        steps = VGroup(loss, gradient, solution).arrange(DOWN, buff=0.6)
        for s in steps:
            self.play(Write(s))
            self.wait(0.5)
        self.play(Circumscribe(solution))
        self.wait(2)
