import numpy as np
from manim import *


class FourierSeriesExplained(Scene):
    """A long lesson in the style models write: titles, many formulas and texts, a graph with a
    ValueTracker, always_redraw labels, updaters and waits between steps (200+ animations)."""

    def construct(self):
        title = Text("Fourier Series: Building Waves from Circles", font_size=36).to_edge(UP)
        self.play(Write(title))
        self.wait(0.5)

        # Part 1: definitions, one formula after another
        formulas = [
            r"f(x) = \frac{a_0}{2} + \sum_{n=1}^{\infty} a_n \cos(nx) + b_n \sin(nx)",
            r"a_n = \frac{1}{\pi} \int_{-\pi}^{\pi} f(x) \cos(nx)\, dx",
            r"b_n = \frac{1}{\pi} \int_{-\pi}^{\pi} f(x) \sin(nx)\, dx",
            r"e^{i\theta} = \cos\theta + i \sin\theta",
            r"f(x) = \sum_{n=-\infty}^{\infty} c_n e^{inx}",
            r"c_n = \frac{1}{2\pi} \int_{-\pi}^{\pi} f(x) e^{-inx}\, dx",
        ]
        previous = None
        for i, tex in enumerate(formulas):
            eq = MathTex(tex, font_size=40).next_to(title, DOWN, buff=0.8)
            caption = Text(f"Step {i + 1}: a key identity", font_size=24).to_edge(DOWN)
            if previous is None:
                self.play(Write(eq), FadeIn(caption))
            else:
                self.play(ReplacementTransform(previous[0], eq), ReplacementTransform(previous[1], caption))
            self.play(Indicate(eq))
            self.wait(0.3)
            previous = (eq, caption)
        self.play(FadeOut(previous[0]), FadeOut(previous[1]))

        # Part 2: a graph with a moving point and a live value
        axes = Axes(x_range=[-4, 4, 1], y_range=[-2, 2, 1], x_length=9, y_length=4.5,
                    axis_config={"include_numbers": True}).shift(DOWN * 0.5)
        labels = axes.get_axis_labels(x_label="x", y_label="f(x)")
        self.play(Create(axes), Write(labels))
        t = ValueTracker(-3.5)
        curve = axes.plot(lambda x: np.sin(x), color=BLUE)
        self.play(Create(curve))
        dot = always_redraw(lambda: Dot(axes.c2p(t.get_value(), np.sin(t.get_value())), color=YELLOW))
        value = always_redraw(lambda: DecimalNumber(np.sin(t.get_value()), num_decimal_places=2)
                              .next_to(dot, UP))
        self.add(dot, value)
        for k in range(1, 41):
            self.play(t.animate.set_value(-3.5 + 7 * k / 40), run_time=0.25)
            if k % 10 == 0:
                self.wait(0.2)

        # Part 3: partial sums, one term at a time
        partial = axes.plot(lambda x: 0 * x, color=RED)
        self.play(Create(partial))
        for n in range(1, 31):
            def approx(x, n=n):
                return sum(4 / (np.pi * (2 * m - 1)) * np.sin((2 * m - 1) * x) for m in range(1, n + 1))
            new = axes.plot(approx, color=RED)
            term = MathTex(rf"S_{{{n}}}(x) = \sum_{{m=1}}^{{{n}}} \frac{{4\sin((2m-1)x)}}{{\pi(2m-1)}}",
                           font_size=30).to_corner(UR)
            self.play(Transform(partial, new), FadeIn(term), run_time=0.4)
            self.play(FadeOut(term), run_time=0.2)
        self.play(FadeOut(partial), FadeOut(curve), FadeOut(dot), FadeOut(value))
        self.remove(dot, value)
        self.play(FadeOut(axes), FadeOut(labels))

        # Part 4: rotating circles (epicycles) driven by updaters
        circles = VGroup(*[Circle(radius=1.2 / k, color=interpolate_color(BLUE, GREEN, k / 5)) for k in range(1, 6)])
        circles.arrange(RIGHT, buff=0.3)
        angle = ValueTracker(0)
        spokes = VGroup(*[Line(c.get_center(), c.get_right()) for c in circles])

        def turn(group):
            for k, (c, s) in enumerate(zip(circles, group), start=1):
                a = angle.get_value() * k
                s.put_start_and_end_on(c.get_center(), c.get_center() + c.radius * np.array([np.cos(a), np.sin(a), 0]))

        spokes.add_updater(turn)
        self.play(Create(circles), Create(spokes))
        for k in range(40):
            self.play(angle.animate.increment_value(PI / 6), run_time=0.2)
        spokes.clear_updaters()
        self.play(FadeOut(circles), FadeOut(spokes))

        # Part 5: a list of facts, written and highlighted one by one
        facts = [
            "Every periodic function has a Fourier series",
            "Smooth functions have fast-decaying coefficients",
            "Jumps cause the Gibbs phenomenon",
            "Parseval: energy is preserved",
            "Convolution becomes multiplication",
            "The FFT computes it in n log n",
        ]
        items = VGroup(*[Text(f"{i + 1}. {s}", font_size=26) for i, s in enumerate(facts)])
        items.arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(title, DOWN, buff=0.6)
        for item in items:
            self.play(FadeIn(item, shift=RIGHT * 0.3), run_time=0.4)
        for item in items:
            self.play(Circumscribe(item), run_time=0.5)
            self.play(item.animate.set_color(YELLOW), run_time=0.2)
        self.play(FadeOut(items))

        # Part 6: Parseval, term by term
        lhs = MathTex(r"\frac{1}{\pi}\int_{-\pi}^{\pi} |f(x)|^2 dx", font_size=40).shift(UP)
        self.play(Write(lhs))
        rhs_terms = []
        for n in range(1, 16):
            term = MathTex(rf"+\, a_{{{n}}}^2 + b_{{{n}}}^2", font_size=32)
            term.move_to(DOWN * 0.5 + RIGHT * ((n - 8) * 0.9))
            self.play(FadeIn(term, shift=UP * 0.2), run_time=0.2)
            rhs_terms.append(term)
        self.play(*[FadeOut(m) for m in rhs_terms], FadeOut(lhs))
        final = MathTex(r"\|f\|^2 = \sum_n |c_n|^2", font_size=60)
        box = SurroundingRectangle(final, color=YELLOW)
        self.play(Write(final), Create(box))
        self.wait(1)
