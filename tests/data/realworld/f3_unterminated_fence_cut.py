## Reasoning
We show Euler's method for y' = y with step h = 0.5, compared with the exact solution e^x.

## Code
```python
from manim import *


class EulerMethod(Scene):
    def construct(self):
        axes = Axes(x_range=[0, 3, 0.5], y_range=[0, 20, 5], x_length=8, y_length=5,
                    axis_config={"include_numbers": True, "font_size": 20})
        exact = axes.plot(lambda x: np.exp(x), x_range=[0, 3], color=BLUE)
        exact_label = MathTex("y = e^x", color=BLUE).next_to(exact.get_end(), LEFT)
        self.play(Create(axes))
        self.play(Create(exact), Write(exact_label))

        h = 0.5
        x, y = 0.0, 1.0
        dot = Dot(axes.c2p(x, y), color=YELLOW)
        self.play(FadeIn(dot))
        for _ in range(6):
            x_new, y_new = x + h, y + h * y
            step = Line(axes.c2p(x, y), axes.c2p(x_new, y_new), color=YELLOW)
            self.play(Create(step), dot.animate.move_to(axes.c2p(x_new, y_new)), run_time=0.6)
            x, y = x_new, y_new

        error = MathTex(r"\text{error at } x = 3: \; e^3 - 11.39 \approx 8.7").to_edge(UP)
        self.play(Write(error))
        self.wait()

        # Now halve the step size and compare
        h = 0.25
        x, y = 0.0, 1.0
        finer = VGroup()
        for _ in range(12):
            x_new, y_new = x + h, y + h * y
            finer.add(Line(axes.c2p(x, y), axes.c2p(x_new, y_new), color=GREEN))
            x, y = x_new, y_new
        self.play(Create(finer), run_ti