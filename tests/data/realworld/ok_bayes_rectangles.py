from manim import *


class BayesTheorem(Scene):
    """Bayes' theorem with areas: a population square split by disease and test result."""

    def construct(self):
        title = Text("Bayes' theorem with areas", font_size=36).to_edge(UP)
        self.play(Write(title))

        total = Square(side_length=4, color=WHITE).shift(LEFT * 2.5 + DOWN * 0.3)
        p_disease = 0.2
        sick = Rectangle(width=4 * p_disease, height=4, fill_color=RED, fill_opacity=0.5, stroke_width=0)
        sick.align_to(total, LEFT).align_to(total, UP)
        healthy = Rectangle(width=4 * (1 - p_disease), height=4, fill_color=BLUE, fill_opacity=0.3, stroke_width=0)
        healthy.align_to(total, RIGHT).align_to(total, UP)

        self.play(Create(total))
        self.play(FadeIn(sick), FadeIn(healthy))

        # Positive tests: 90% of the sick, 10% of the healthy
        sick_pos = Rectangle(width=4 * p_disease, height=4 * 0.9, fill_color=RED, fill_opacity=0.9, stroke_width=0)
        sick_pos.align_to(sick, LEFT).align_to(sick, UP)
        healthy_pos = Rectangle(width=4 * (1 - p_disease), height=4 * 0.1, fill_color=BLUE, fill_opacity=0.9, stroke_width=0)
        healthy_pos.align_to(healthy, LEFT).align_to(healthy, UP)
        self.play(FadeIn(sick_pos), FadeIn(healthy_pos))

        formula = MathTex(
            r"P(D \mid +) = \frac{P(+ \mid D)\,P(D)}{P(+)}",
            font_size=40,
        ).shift(RIGHT * 3 + UP)
        numbers = MathTex(r"= \frac{0.9 \cdot 0.2}{0.9 \cdot 0.2 + 0.1 \cdot 0.8} \approx 0.69", font_size=36)
        numbers.next_to(formula, DOWN, aligned_edge=LEFT)

        self.play(Write(formula))
        self.play(Write(numbers))
        self.play(Indicate(sick_pos), Indicate(healthy_pos))
        self.wait(2)
