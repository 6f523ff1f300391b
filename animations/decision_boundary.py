"""Logistic regression on two seeded classes: the fitted decision boundary and its probability field.

Two Gaussian blobs (make_blobs, fixed seed) are fitted with scikit-learn's LogisticRegression. The
boundary drawn is the line w . x + b = 0 taken from the fitted coef_ and intercept_; the background is a
coarse grid of squares coloured by predict_proba at each square's centre; a probe walking across the
plane reads predict_proba live; the accuracy and the misclassified points come from the model's own
predictions on the training data.
"""
from manim import *
import numpy as np
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression

META = {
    "title": "Decision boundary (logistic regression)",
    "summary": "A fitted logistic regression on two seeded classes: its linear boundary from coef_ and "
               "intercept_, the predict_proba field on a grid, and the accuracy.",
    "keywords": ["decision boundary", "logistic regression", "classification", "classifier",
                 "predict_proba", "sigmoid", "binary classification", "linear classifier", "probability"],
    "scene": "DecisionBoundaryScene",
    "category": "ml",
    "order": 5,
    "notes": "decision_boundary",
    "params": {"CLUSTER_STD": {"default": 1.4, "type": "float", "min": 0.5, "max": 3.0,
                               "aliases": ["spread", "noise", "overlap", "std", "cluster std"],
                               "help": "spread of each class; larger means more overlap"}},
}

CLUSTER_STD = 1.4
SEED = 7

N_SAMPLES = 120
CENTERS = [[-1.6, -1.0], [1.6, 1.0]]
GRID = (26, 18)  # squares across and up: coarse on purpose, one predict_proba per square
CLASS_COLORS = [BLUE, ORANGE]
MISSED = "#FF2255"


def make_data(std=CLUSTER_STD, seed=SEED):
    return make_blobs(n_samples=N_SAMPLES, centers=CENTERS, cluster_std=std, random_state=seed)


def fit(X, y):
    return LogisticRegression().fit(X, y)


def view_box(X):
    """(x0, x1, y0, y1): the data's bounding box, padded and rounded out to integers."""
    lo, hi = np.floor(X.min(axis=0) - 0.5), np.ceil(X.max(axis=0) + 0.5)
    return lo[0], hi[0], lo[1], hi[1]


def boundary_segment(model, box):
    """The part of the line w1 x + w2 y + b = 0 inside box, as two (x, y) points, or None."""
    (w1, w2), b = model.coef_[0], model.intercept_[0]
    x0, x1, y0, y1 = box
    candidates = []
    if abs(w2) > 1e-12:
        candidates += [(x, -(w1 * x + b) / w2) for x in (x0, x1)]
    if abs(w1) > 1e-12:
        candidates += [(-(w2 * y + b) / w1, y) for y in (y0, y1)]
    inside = sorted({(round(x, 12), round(y, 12)) for x, y in candidates
                     if x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9})
    return (np.array(inside[0]), np.array(inside[-1])) if len(inside) >= 2 else None


def probability_grid(model, box, grid=GRID):
    """Centres of a grid of squares over box, and P(class 1) from predict_proba at each centre."""
    x0, x1, y0, y1 = box
    nx, ny = grid
    xs = x0 + (np.arange(nx) + 0.5) * (x1 - x0) / nx
    ys = y0 + (np.arange(ny) + 0.5) * (y1 - y0) / ny
    centres = np.array([(x, y) for y in ys for x in xs])
    return centres, model.predict_proba(centres)[:, 1]


class DecisionBoundaryScene(Scene):
    def construct(self):
        X, y = make_data()
        model = fit(X, y)
        box = view_box(X)
        predicted = model.predict(X)
        accuracy = float(np.mean(predicted == y))

        title = Text("Logistic regression: a decision boundary", font_size=34).to_edge(UP, buff=0.3)
        self.play(Write(title))

        axes = Axes(x_range=[box[0], box[1], 1], y_range=[box[2], box[3], 1], x_length=7.4, y_length=6.0,
                    tips=False, axis_config={"include_ticks": False, "stroke_opacity": 0.4})
        axes.to_edge(LEFT, buff=0.4).to_edge(DOWN, buff=0.45)
        frame = SurroundingRectangle(axes, buff=0, color=GREY_C, stroke_width=1.5)
        dots = VGroup(*[Dot(axes.c2p(*p), radius=0.06, color=CLASS_COLORS[c]).set_stroke(BLACK, 1)
                        for p, c in zip(X, y)])
        self.play(Create(frame), FadeIn(dots, lag_ratio=0.02), run_time=1.5)

        (w1, w2), b = model.coef_[0], model.intercept_[0]
        model_tex = MathTex(r"P(y=1\mid x) = \sigma(w^\top x + b)", font_size=32)
        sigma_tex = MathTex(r"\sigma(z) = \frac{1}{1+e^{-z}}", font_size=30)
        fitted = Text("sklearn LogisticRegression, fitted:", font_size=22, color=GREY_B)
        line_tex = MathTex(rf"{w1:.2f}\,x_1 {w2:+.2f}\,x_2 {b:+.2f} = 0", font_size=32, color=YELLOW)
        panel = VGroup(model_tex, sigma_tex, fitted, line_tex).arrange(DOWN, buff=0.3)
        panel.to_edge(RIGHT, buff=0.4).align_to(frame, UP)
        self.play(Write(model_tex), Write(sigma_tex))

        centres, probs = probability_grid(model, box)
        cell_w, cell_h = axes.x_length / GRID[0], axes.y_length / GRID[1]
        shading = VGroup(*[Rectangle(width=cell_w, height=cell_h, stroke_width=0, fill_opacity=0.45,
                                     fill_color=interpolate_color(CLASS_COLORS[0], CLASS_COLORS[1], p))
                           .move_to(axes.c2p(*c)) for c, p in zip(centres, probs)])
        colorbar = self.colorbar().next_to(panel, DOWN, buff=0.35)
        self.play(FadeIn(shading, lag_ratio=0.002), FadeIn(colorbar), run_time=2)
        self.bring_to_front(dots)

        ends = boundary_segment(model, box)
        boundary = Line(axes.c2p(*ends[0]), axes.c2p(*ends[1]), color=YELLOW, stroke_width=5) if ends \
            else VMobject()
        self.play(FadeIn(fitted), Write(line_tex), Create(boundary), run_time=1.5)

        self.probe(axes, model, box, colorbar)

        wrong = VGroup(*[Circle(radius=0.13, color=MISSED, stroke_width=3).move_to(d)
                         for d, ok in zip(dots, predicted == y) if not ok])
        acc_text = MathTex(rf"\text{{accuracy}} = {accuracy * 100:.1f}\%\ \ ({int(round(accuracy * len(y)))}"
                           rf"/{len(y)})", font_size=32, color=GREEN).next_to(colorbar, DOWN, buff=0.8)
        note = Text(f"circled: the {len(wrong)} misclassified points" if len(wrong) else "no point is misclassified",
                    font_size=20, color=MISSED).next_to(acc_text, DOWN, buff=0.2)
        self.play(Write(acc_text), Create(wrong), FadeIn(note), run_time=1.5)
        self.wait(2.5)

    @staticmethod
    def colorbar():
        bar = VGroup(*[Rectangle(width=0.2, height=0.3, stroke_width=0, fill_opacity=0.8,
                                 fill_color=interpolate_color(CLASS_COLORS[0], CLASS_COLORS[1], t))
                       for t in np.linspace(0, 1, 16)]).arrange(RIGHT, buff=0)
        ticks = VGroup(*[MathTex(s, font_size=24).move_to(bar.get_corner(DL) + RIGHT * f * bar.width, UP)
                         .shift(DOWN * 0.1) for s, f in [("0", 0), ("0.5", 0.5), ("1", 1)]])
        label = MathTex(r"P(y=1\mid x)", font_size=26).next_to(bar, UP, buff=0.1)
        return VGroup(bar, ticks, label)

    def probe(self, axes, model, box, colorbar):
        """A dot walking across the boundary, with predict_proba read at its position every frame."""
        x0, x1, y0, y1 = box
        start, end = np.array([x0 + 0.2 * (x1 - x0), y0 + 0.25 * (y1 - y0)]), \
            np.array([x0 + 0.8 * (x1 - x0), y0 + 0.75 * (y1 - y0)])
        t = ValueTracker(0)
        where = lambda: start + t.get_value() * (end - start)
        dot = always_redraw(lambda: Dot(axes.c2p(*where()), radius=0.1, color=WHITE).set_stroke(BLACK, 2))
        value = DecimalNumber(model.predict_proba([where()])[0, 1], 3, font_size=30)
        value.add_updater(lambda m: m.set_value(model.predict_proba([where()])[0, 1]))
        readout = VGroup(MathTex(r"\text{probe: } P(y=1\mid x) =", font_size=30), value).arrange(RIGHT, buff=0.15)
        readout.next_to(colorbar, DOWN, buff=0.3)
        self.play(FadeIn(dot), FadeIn(readout))
        self.play(t.animate.set_value(1), run_time=4, rate_func=there_and_back_with_pause)
        self.play(FadeOut(dot), FadeOut(readout))
