"""A linear support vector machine on two blobs. scikit-learn's SVC(kernel="linear", C=C) is fitted to
fixed-seed make_blobs data; the separating line w.x + b = 0 and the two margins w.x + b = +1 and -1 are
drawn from the fitted coef_ and intercept_, the support vectors (support_vectors_) are circled, and the
margin width 2/||w|| is measured between the margins. Larger C penalises margin violations more and
gives a narrower margin with fewer support vectors."""
from manim import *
import numpy as np
from sklearn.datasets import make_blobs
from sklearn.svm import SVC

META = {
    "title": "Support vector machine (linear)",
    "summary": "A fitted linear SVM: separating line, margins w.x+b=+-1, circled support vectors and "
               "the margin width 2/||w||.",
    "keywords": ["svm", "support vector machine", "svc", "margin", "support vectors", "hinge loss",
                 "linear classifier", "maximum margin", "classification"],
    "scene": "SVMScene",
    "category": "ml",
    "order": 12,
    "notes": "svm",
    "params": {
        "C": {"default": 1.0, "type": "float", "min": 0.05, "max": 100.0,
              "aliases": ["c", "regularization", "penalty"],
              "help": "penalty on margin violations (small C: wide, soft margin)"},
    },
}

C = 1.0
SEED = 4
N_POINTS = 40
X_RANGE, Y_RANGE = (-5.0, 5.0), (-4.0, 4.0)


def make_data(n, seed):
    """Two Gaussian blobs, labels -1 and +1."""
    X, y = make_blobs(n_samples=n, centers=[[-1.6, -0.9], [1.6, 1.1]], cluster_std=0.95, random_state=seed)
    return X, 2 * y - 1


def fit_svm(X, y, c):
    """The fitted linear SVC, its w and b (decision function w.x + b) and its support vectors' indices."""
    model = SVC(kernel="linear", C=c).fit(X, y)
    return model, model.coef_[0], float(model.intercept_[0]), model.support_


def margin_width(w):
    return 2.0 / np.linalg.norm(w)


def clip_halfplane(poly, a, c):
    """Sutherland-Hodgman: the part of a convex polygon where a.x <= c."""
    out = []
    for p, q in zip(poly, poly[1:] + poly[:1]):
        fp, fq = a @ p - c, a @ q - c
        if fp <= 0:
            out.append(p)
        if fp * fq < 0:
            out.append(p + (q - p) * fp / (fp - fq))
    return out


def box_polygon():
    (x0, x1), (y0, y1) = X_RANGE, Y_RANGE
    return [np.array(v) for v in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]


def level_segment(w, b, level):
    """End points of the line {x : w.x + b = level} inside the plotting box, or None if it misses it."""
    p0 = (level - b) * w / (w @ w)
    d = np.array([-w[1], w[0]]) / np.linalg.norm(w)
    t_lo, t_hi = -np.inf, np.inf
    for k, (lo, hi) in enumerate((X_RANGE, Y_RANGE)):
        if abs(d[k]) < 1e-12:
            if not lo <= p0[k] <= hi:
                return None
            continue
        t1, t2 = sorted(((lo - p0[k]) / d[k], (hi - p0[k]) / d[k]))
        t_lo, t_hi = max(t_lo, t1), min(t_hi, t2)
    return None if t_lo >= t_hi else (p0 + t_lo * d, p0 + t_hi * d)


class SVMScene(Scene):
    def construct(self):
        X, y = make_data(N_POINTS, SEED)
        model, w, b, sv = fit_svm(X, y, C)
        width = margin_width(w)

        title = Text("Support vector machine (linear)", font_size=34).to_edge(UP, buff=0.25)
        axes = Axes(x_range=[*X_RANGE, 1], y_range=[*Y_RANGE, 1], x_length=7.0, y_length=5.6, tips=False,
                    axis_config={"stroke_opacity": 0.4, "include_ticks": False})
        axes.move_to([-3.05, -0.55, 0])
        frame = SurroundingRectangle(axes, buff=0, stroke_color=GREY_D, stroke_width=2)
        p = lambda v: axes.c2p(v[0], v[1])
        colours = {-1: BLUE, 1: ORANGE}
        dots = VGroup(*[Dot(p(x), radius=0.07, color=colours[t]) for x, t in zip(X, y)])
        self.play(Write(title), Create(frame), Create(axes), run_time=1.2)
        self.play(LaggedStart(*[FadeIn(d, scale=0.5) for d in dots], lag_ratio=0.03), run_time=2)

        problem = VGroup(
            MathTex(r"\min_{w,b,\xi}\ \tfrac12\|w\|^2 + C\sum_i \xi_i", font_size=32),
            MathTex(r"y_i\,(w^\top x_i + b) \ge 1 - \xi_i,\quad \xi_i \ge 0", font_size=30),
        ).arrange(DOWN, buff=0.2).move_to([3.75, 2.3, 0])
        self.play(Write(problem), run_time=2.2)
        self.wait(1)

        # the fitted hyperplane and margins, clipped to the plotting box
        def level_line(level, dashed):
            ends = level_segment(w, b, level)
            if ends is None:
                return VGroup()
            cls = DashedLine if dashed else Line
            return cls(p(ends[0]), p(ends[1]), stroke_width=4 if level == 0 else 2.5,
                       color=WHITE if level == 0 else GREY_A)

        band_pts = clip_halfplane(clip_halfplane(box_polygon(), w, 1 - b), -w, 1 + b)
        band = Polygon(*[p(q) for q in band_pts], stroke_width=0, fill_color=YELLOW, fill_opacity=0.12)
        boundary, upper, lower = level_line(0, False), level_line(1, True), level_line(-1, True)
        fitted = VGroup(
            MathTex(r"w = (%.2f,\ %.2f),\quad b = %.2f" % (w[0], w[1], b), font_size=30),
            MathTex(r"w^\top x + b = 0", font_size=30),
        ).arrange(DOWN, buff=0.2).next_to(problem, DOWN, buff=0.45)
        self.play(Write(fitted[0]), run_time=1.2)
        self.play(Create(boundary), Write(fitted[1]), run_time=1.2)
        self.play(FadeIn(band), Create(upper), Create(lower), run_time=1.5)
        margin_lbl = MathTex(r"w^\top x + b = \pm 1", font_size=30, color=GREY_A).next_to(fitted, DOWN, buff=0.2)
        self.play(Write(margin_lbl), run_time=0.8)
        self.wait(1)

        circles = VGroup(*[Circle(radius=0.16, color=YELLOW, stroke_width=3).move_to(p(X[i])) for i in sv])
        sv_lbl = Text(f"{len(sv)} support vectors (circled)", font_size=22, color=YELLOW)
        sv_lbl.next_to(margin_lbl, DOWN, buff=0.35)
        self.play(LaggedStart(*[Create(c) for c in circles], lag_ratio=0.15), FadeIn(sv_lbl), run_time=1.8)
        self.wait(1)

        # margin width, measured perpendicular to the line through the point nearest the data's centre
        m = X.mean(axis=0)
        p0 = m - (w @ m + b) / (w @ w) * w
        half = w / (w @ w)  # from the boundary to the margin +1 along w
        measure = DoubleArrow(p(p0 - half), p(p0 + half), buff=0, stroke_width=3, color=GREEN,
                              tip_length=0.15, max_tip_length_to_length_ratio=0.3)
        width_tex = MathTex(r"\frac{2}{\|w\|} = %.2f" % width, font_size=34, color=GREEN)
        width_tex.next_to(sv_lbl, DOWN, buff=0.35)
        self.play(GrowFromCenter(measure), Write(width_tex), run_time=1.5)
        self.wait(1)

        acc = Text(f"C = {C:g}, training accuracy {100 * model.score(X, y):.1f}%", font_size=22)
        acc.next_to(width_tex, DOWN, buff=0.35)
        self.play(FadeIn(acc, shift=UP * 0.2), run_time=0.8)
        self.wait(3.5)
