from manim import *


class SchrodingerEquation(Scene):
    def construct(self):
        title = Text("Time-dependent Schrödinger equation", font_size=34).to_edge(UP)
        self.play(Write(title))

        equation = MathTex(
            r"i\hbar \pdv{t} \ket{\psi(t)} = \hat{H} \ket{\psi(t)}",
            font_size=56,
        )
        self.play(Write(equation))
        self.wait()

        hamiltonian = MathTex(
            r"\hat{H} = -\frac{\hbar^2}{2m} \dv[2]{x} + V(x)"
        ).next_to(equation, DOWN, buff=0.8)
        self.play(Write(hamiltonian))

        norm = MathTex(r"\int \abs{\psi(x, t)}^2 \, dx = 1").next_to(hamiltonian, DOWN, buff=0.6)
        self.play(Write(norm))
        self.wait(2)
