from manim import *


class DefiniteIntegral(Scene):
    """Fundamental theorem of calculus: area under the curve equals F(b) - F(a)."""

    def construct(self):
        # Axes
        axes = Axes(
            x_range=[0, 4, 1],
            y_range=[0, 8, 2],
            x_axis_config={"numbers_to_include": [1, 2, 3]},
            y_axis_config={"numbers_to_include": [2, 4, 6]},
        )
        axes_labels = axes.get_axis_labels(x_label="x", y_label="f(x)")

        # Function f(x) = x^2 / 2
        graph = axes.get_graph(lambda x: x**2 / 2, x_range=[0, 3.8], color=BLUE)
        graph_label = axes.get_graph_label(graph, label="f(x)=\\frac{x^2}{2}")

        self.play(ShowCreation(axes), Write(axes_labels))
        self.play(ShowCreation(graph), Write(graph_label))
        self.wait()

        # Area between 1 and 3
        area = axes.get_area(graph, x_range=[1, 3], color=[BLUE, GREEN], opacity=0.5)
        self.play(FadeIn(area))

        result = MathTex(r"\int_1^3 \frac{x^2}{2}\,dx = \frac{27 - 1}{6} = \frac{13}{3}").to_edge(UP)
        self.play(Write(result))
        self.wait(2)
