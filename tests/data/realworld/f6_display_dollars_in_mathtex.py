from manim import *


class MaxwellEquations(Scene):
    def construct(self):
        title = Title("Maxwell's equations")
        self.play(Write(title))

        equations = VGroup(
            MathTex(r"$$\nabla \cdot \mathbf{E} = \frac{\rho}{\varepsilon_0}$$"),
            MathTex(r"$$\nabla \cdot \mathbf{B} = 0$$"),
            MathTex(r"$$\nabla \times \mathbf{E} = -\frac{\partial \mathbf{B}}{\partial t}$$"),
            MathTex(r"$$\nabla \times \mathbf{B} = \mu_0 \mathbf{J} + \mu_0\varepsilon_0 \frac{\partial \mathbf{E}}{\partial t}$$"),
        ).arrange(DOWN, buff=0.4)

        for eq in equations:
            self.play(Write(eq), run_time=1.2)
        self.wait()
        self.play(Circumscribe(equations[2], color=YELLOW))
        self.wait(2)
