from manim import *


class LearningRateSchedule(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 100, 20], y_range=[0, 0.12, 0.02], x_length=8, y_length=4.5,
                    axis_config={"include_numbers": True, "font_size": 20})
        x_label = axes.get_x_axis_label(MathTex(r"\text{epoch}"))
        y_label = axes.get_y_axis_label(MathTex(r"\text{learning_rate}"))
        self.play(Create(axes), Write(x_label), Write(y_label))

        decay = axes.plot(lambda t: 0.1 * np.exp(-t / 30), x_range=[0, 100], color=ORANGE)
        formula = MathTex(r"\eta_t = \eta_0 \, e^{-t/\tau}, \quad \text{lr_0} = 0.1").to_edge(UP)
        self.play(Create(decay), Write(formula))
        self.wait(2)
