from manim import *


class RCCircuit(Scene):
    def construct(self):
        title = Text("Charging a capacitor", font_size=34).to_edge(UP)
        self.play(Write(title))

        ax = Axes(x_range=[0, 5, 1], y_range=[0, 1.2, 0.2], x_length=8, y_length=4).shift(DOWN * 0.5)
        curve = ax.plot(lambda t: 1 - np.exp(-t), color=GREEN)
        self.play(Create(ax))
        self.play(Create(curve), run_time=2)

        # the time constant tau = RC
        tau = ax.get_vertical_line(ax.c2p(1, 1 - np.exp(-1)), color=YELLOW)
        tau_label = MathTex(r"\tau = RC").scale(0.8)
        tau_label.next_to_corner(tau, UR)
        self.play(Create(tau), Write(tau_label))
        eq = MathTex(r"V(t) = V_0\left(1 - e^{-t/RC}\right)").to_corner(UR)
        self.play(Write(eq))
        self.wait()
