from manim import *


class EmpiricalRiskMinimization(Scene):
    def construct(self):
        setup = MathTex(r"f_\theta : \R^d \to \R, \quad \theta \in \Theta").to_edge(UP)
        self.play(Write(setup))

        risk = MathTex(r"\hat{R}(\theta) = \frac{1}{n} \sum_{i=1}^n \ell(f_\theta(x_i), y_i)")
        self.play(Write(risk))
        self.wait()

        erm = MathTex(r"\hat{\theta} = \argmin_{\theta \in \Theta} \hat{R}(\theta)", color=YELLOW)
        erm.next_to(risk, DOWN, buff=0.8)
        self.play(Write(erm))

        reg = MathTex(r"+ \lambda \norm{\theta}_2^2").next_to(erm, RIGHT)
        self.play(Write(reg))
        self.wait(2)
