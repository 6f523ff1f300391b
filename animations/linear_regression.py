"""Linear regression by least squares, solved twice for real: in closed form and by gradient descent.

Seeded data y = 0.6 x + 0.8 + noise is fitted with numpy.linalg.lstsq. Then a line starts from a poor
initial guess and follows real gradient-descent steps on the mean squared error (step size 1/L, where L
is the largest eigenvalue of the MSE's Hessian, so every step lowers the loss). The residuals (vertical
segments) and the MSE readout are recomputed from the current line at every frame, and the line ends on
the lstsq solution.
"""
from manim import *
import numpy as np

META = {
    "title": "Linear regression",
    "summary": "Least squares on seeded noisy data: residuals, the closed-form lstsq fit, and gradient "
               "descent on the MSE moving a line from a poor guess to the same solution.",
    "keywords": ["linear regression", "least squares", "lstsq", "regression", "line of best fit", "mse",
                 "mean squared error", "residuals", "gradient descent", "fit a line"],
    "scene": "LinearRegressionScene",
    "category": "ml",
    "order": 3,
    "notes": "linear_regression",
    "params": {
        "N_POINTS": {"default": 25, "type": "int", "min": 5, "max": 80,
                     "aliases": ["points", "samples", "n", "data points"], "help": "number of data points"},
        "NOISE": {"default": 0.8, "type": "float", "min": 0.0, "max": 2.0,
                  "aliases": ["noise", "sigma", "spread", "scatter"], "help": "standard deviation of the noise"},
    },
}

N_POINTS = 25
NOISE = 0.8
SEED = 3

TRUE_W, TRUE_B = 0.6, 0.8
INIT_W, INIT_B = -0.8, -1.5
GD_STEPS = 100
SHOWN_STEPS = [0, 1, 2, 3, 4, 6, 8, 11, 15, 20, 30, 45, 65, 100]
X_LIM = (-4.5, 4.5)


def make_data(n=N_POINTS, noise=NOISE, seed=SEED):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-4, 4, n)
    return x, TRUE_W * x + TRUE_B + noise * rng.normal(size=n)


def mse(w, b, x, y):
    return float(np.mean((y - (w * x + b)) ** 2))


def least_squares(x, y):
    """Closed-form fit: minimise ||A [w, b] - y||^2 with A = [x, 1]."""
    A = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    return float(w), float(b)


def gradient_descent(x, y, w0=INIT_W, b0=INIT_B, steps=GD_STEPS):
    """Iterates (w_k, b_k), k = 0..steps, of plain gradient descent on the MSE with step 1/L."""
    A = np.column_stack([x, np.ones_like(x)])
    hessian = 2 / len(x) * A.T @ A
    lr = 1 / np.linalg.eigvalsh(hessian).max()
    theta = np.array([w0, b0], dtype=float)
    path = [theta.copy()]
    for _ in range(steps):
        grad = 2 / len(x) * A.T @ (A @ theta - y)
        theta = theta - lr * grad
        path.append(theta.copy())
    return np.array(path), lr


def clip_line(w, b, box):
    """End points of y = w x + b inside box = (x0, x1, y0, y1), or None when the line misses it."""
    x0, x1, y0, y1 = box
    xs = [x0, x1] + ([(y0 - b) / w, (y1 - b) / w] if w != 0 else [])
    inside = sorted(x for x in xs if x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= w * x + b <= y1 + 1e-9)
    return (inside[0], inside[-1]) if inside else None


class LinearRegressionScene(Scene):
    def construct(self):
        x, y = make_data()
        w_ls, b_ls = least_squares(x, y)
        path, lr = gradient_descent(x, y)

        title = Text("Linear regression: least squares", font_size=36).to_edge(UP, buff=0.3)
        self.play(Write(title))

        # The view holds the data and the initial guess, so the whole descent is visible.
        guess = INIT_W * np.array(X_LIM) + INIT_B
        y_lo, y_hi = np.floor(min(y.min(), guess.min()) - 0.3), np.ceil(max(y.max(), guess.max()) + 0.3)
        box = (*X_LIM, y_lo, y_hi)
        axes = Axes(x_range=[*X_LIM, 1], y_range=[y_lo, y_hi, 1], x_length=7.0, y_length=5.8, tips=False,
                    axis_config={"stroke_opacity": 0.6, "include_ticks": False})
        axes.to_edge(LEFT, buff=0.4).to_edge(DOWN, buff=0.4)
        axis_labels = axes.get_axis_labels(MathTex("x", font_size=30), MathTex("y", font_size=30))
        dots = VGroup(*[Dot(axes.c2p(a, c), radius=0.06, color=BLUE) for a, c in zip(x, y)])
        self.play(Create(axes), FadeIn(axis_labels), LaggedStart(*[FadeIn(d, scale=0.5) for d in dots], lag_ratio=0.05))

        w, b = ValueTracker(path[0][0]), ValueTracker(path[0][1])
        line = always_redraw(lambda: self.fit_line(axes, w.get_value(), b.get_value(), box, YELLOW))
        residuals = always_redraw(lambda: VGroup(*[
            Line(axes.c2p(a, c), axes.c2p(a, np.clip(w.get_value() * a + b.get_value(), y_lo, y_hi)),
                 stroke_width=2, color=RED_C)
            for a, c in zip(x, y)]))

        model = MathTex(r"\hat y = w\,x + b", font_size=36)
        loss = MathTex(r"\mathrm{MSE}(w,b) = \frac{1}{n}\sum_{i=1}^{n} (y_i - w x_i - b)^2", font_size=32)
        update = MathTex(r"(w,b) \leftarrow (w,b) - \eta\,\nabla \mathrm{MSE}", font_size=32)
        eta = MathTex(rf"\eta = 1/L = {lr:.3f}", font_size=28, color=GREY_B)
        step_num, mse_num = Integer(0, font_size=32), DecimalNumber(mse(*path[0], x, y), 3, font_size=32)
        w_num, b_num = DecimalNumber(path[0][0], 3, font_size=32), DecimalNumber(path[0][1], 3, font_size=32)
        readout = VGroup(*[VGroup(MathTex(label, font_size=32), num).arrange(RIGHT, buff=0.15)
                           for label, num in [(r"\text{step}", step_num), (r"\mathrm{MSE} =", mse_num),
                                              (r"w =", w_num), (r"b =", b_num)]])
        readout.arrange_in_grid(rows=2, cols=2, buff=(0.6, 0.25), cell_alignment=LEFT)
        panel = VGroup(model, loss, update, eta, readout).arrange(DOWN, buff=0.3)
        panel.to_edge(RIGHT, buff=0.4).align_to(axes, UP)
        mse_num.add_updater(lambda m: m.set_value(mse(w.get_value(), b.get_value(), x, y)))
        w_num.add_updater(lambda m: m.set_value(w.get_value()))
        b_num.add_updater(lambda m: m.set_value(b.get_value()))

        self.play(Write(model), Write(loss))
        self.play(Create(line), Create(residuals), FadeIn(readout))
        self.wait(0.5)
        self.play(Write(update), FadeIn(eta))
        for k in SHOWN_STEPS[1:]:
            self.play(w.animate.set_value(path[k][0]), b.animate.set_value(path[k][1]),
                      ChangeDecimalToValue(step_num, k), run_time=0.9 if k < 10 else 0.7)

        exact = self.fit_line(axes, w_ls, b_ls, box, GREEN).set_stroke(width=8, opacity=0.5)
        verdict = VGroup(
            MathTex(rf"\text{{lstsq: }} w = {w_ls:.3f},\; b = {b_ls:.3f}", font_size=30, color=GREEN),
            MathTex(rf"\text{{minimum MSE}} = {mse(w_ls, b_ls, x, y):.3f}", font_size=30, color=GREEN),
        ).arrange(DOWN, buff=0.15).next_to(panel, DOWN, buff=0.35)
        self.play(FadeIn(exact), Write(verdict))
        self.wait(2.5)

    @staticmethod
    def fit_line(axes, w, b, box, color):
        ends = clip_line(w, b, box)
        if ends is None:
            return VMobject()
        return Line(axes.c2p(ends[0], w * ends[0] + b), axes.c2p(ends[1], w * ends[1] + b), color=color,
                    stroke_width=4)
