"""Principal component analysis of correlated 2-D data. The points are drawn from a Gaussian with a
fixed seed; the scene computes their sample covariance matrix and its eigen-decomposition with
numpy.linalg.eigh, draws the principal axes as arrows two standard deviations long (2*sqrt(eigenvalue)),
projects every point orthogonally onto the first component and reports the explained variance ratio.
Every number on screen is computed from the data shown."""
from manim import *
import numpy as np

META = {
    "title": "Principal component analysis",
    "summary": "Covariance eigen-decomposition of correlated 2-D data: principal axes, "
               "projection onto the first component and the explained variance ratio.",
    "keywords": ["pca", "principal component analysis", "principal components", "eigenvectors",
                 "covariance", "dimensionality reduction", "explained variance", "projection"],
    "scene": "PCAScene",
    "category": "ml",
    "order": 8,
    "notes": "pca",
    "params": {
        "N_POINTS": {"default": 60, "type": "int", "min": 20, "max": 150,
                     "aliases": ["points", "samples", "n"], "help": "number of data points"},
        "CORRELATION": {"default": 0.8, "type": "float", "min": -0.9, "max": 0.9,
                        "aliases": ["correlation", "rho"], "help": "correlation of the two coordinates"},
    },
}

N_POINTS = 60
CORRELATION = 0.8
SEED = 3

STDS = (1.5, 1.0)  # unequal spreads keep the principal axes well defined even at zero correlation
MEAN = (0.5, 0.3)


def make_data(n, rho, seed):
    """n points from a 2-D Gaussian with the given correlation (fixed seed)."""
    s1, s2 = STDS
    cov = np.array([[s1 * s1, rho * s1 * s2], [rho * s1 * s2, s2 * s2]])
    return np.random.default_rng(seed).multivariate_normal(MEAN, cov, size=n)


def pca(X):
    """Mean, sample covariance, variances (descending) and unit components (rows) via eigh."""
    mean = X.mean(axis=0)
    cov = np.cov(X, rowvar=False)  # ddof=1, like sklearn's explained_variance_
    values, vectors = np.linalg.eigh(cov)  # ascending order
    order = np.argsort(values)[::-1]
    values, components = values[order], vectors[:, order].T
    # eigh's signs are arbitrary: point each axis to the right (or up) so the picture is stable
    for c in components:
        lead = c[0] if abs(c[0]) > 1e-12 else c[1]
        c *= np.sign(lead)
    return mean, cov, values, components


def project(X, mean, component):
    """Orthogonal projection of each point onto the line mean + t * component."""
    t = (X - mean) @ component
    return mean + np.outer(t, component)


def axis_line(axes, mean, direction):
    """The part of the line mean + t * direction that lies inside the axes' box."""
    spans = []
    for (lo, hi), m, d in zip((axes.x_range[:2], axes.y_range[:2]), mean, direction):
        if abs(d) > 1e-12:
            spans.append(sorted(((lo - m) / d, (hi - m) / d)))
    t_lo, t_hi = max(s[0] for s in spans), min(s[1] for s in spans)
    return Line(axes.c2p(*(mean + t_lo * direction)), axes.c2p(*(mean + t_hi * direction)))


class PCAScene(Scene):
    def construct(self):
        X = make_data(N_POINTS, CORRELATION, SEED)
        mean, cov, values, comps = pca(X)
        ratio = values / values.sum()
        sig = np.sqrt(values)

        title = Text("Principal component analysis", font_size=36).to_edge(UP, buff=0.3)
        # ticks every 2 units, no tick numbers: the PC labels may land anywhere near the axes
        axes = Axes(x_range=[-6, 6, 2], y_range=[-4, 4, 2], x_length=7.2, y_length=4.8,
                    tips=False, axis_config={"stroke_opacity": 0.5})
        axes.to_edge(LEFT, buff=0.35).shift(DOWN * 0.45)
        p = lambda v: axes.c2p(v[0], v[1])
        dots = VGroup(*[Dot(p(x), radius=0.05, color=BLUE_C) for x in X])
        self.play(Write(title), Create(axes), run_time=1.2)
        self.play(LaggedStart(*[FadeIn(d, scale=0.5) for d in dots], lag_ratio=0.02), run_time=1.5)

        # right panel: the real covariance matrix and its eigen-decomposition
        panel_x = 3.55
        cov_tex = MathTex(r"\Sigma = \begin{pmatrix} %.2f & %.2f \\ %.2f & %.2f \end{pmatrix}"
                          % (cov[0, 0], cov[0, 1], cov[1, 0], cov[1, 1]), font_size=34)
        cov_tex.move_to([panel_x, 2.45, 0])
        centre = Dot(p(mean), radius=0.08, color=WHITE)
        centre_lbl = MathTex(r"\bar{x} = (%.2f,\ %.2f)" % tuple(mean), font_size=30)
        centre_lbl.next_to(cov_tex, DOWN, buff=0.25)
        self.play(FadeIn(centre, scale=2), Write(centre_lbl), run_time=1)
        self.play(Write(cov_tex), run_time=1.2)

        eig = VGroup(
            MathTex(r"\Sigma v = \lambda v \quad(\texttt{eigh})", font_size=30),
            MathTex(r"\lambda_1 = %.2f,\ v_1 = (%.2f,\ %.2f)" % (values[0], *comps[0]),
                    font_size=30, color=YELLOW),
            MathTex(r"\lambda_2 = %.2f,\ v_2 = (%.2f,\ %.2f)" % (values[1], *comps[1]),
                    font_size=30, color=GREEN),
        ).arrange(DOWN, buff=0.18).next_to(centre_lbl, DOWN, buff=0.3)
        self.play(Write(eig), run_time=1.8)
        self.wait(1)

        # principal axes: arrows 2 standard deviations long, and the 2-sigma ellipse
        unit = axes.x_length / (axes.x_range[1] - axes.x_range[0])  # scene units per data unit
        ellipse = Ellipse(width=4 * sig[0] * unit, height=4 * sig[1] * unit, color=GREY_B,
                          stroke_width=2, stroke_opacity=0.7)
        ellipse.rotate(np.arctan2(comps[0][1], comps[0][0])).move_to(p(mean))
        arrows = VGroup(*[Arrow(p(mean), p(mean + 2 * s * c), buff=0, color=col, stroke_width=6,
                                max_tip_length_to_length_ratio=0.12)
                          for s, c, col in zip(sig, comps, (YELLOW, GREEN))])
        # PC1's label sits beside its tip (the projections will cover the line beyond it), PC2's past its tip
        a1, a2 = arrows
        side = normalize(a1.get_start() - a2.get_end())
        arrow_lbls = VGroup(
            MathTex(r"\mathrm{PC}_1", font_size=30, color=YELLOW).move_to(a1.get_end() + 0.45 * side),
            MathTex(r"\mathrm{PC}_2", font_size=30, color=GREEN).next_to(
                a2.get_end(), normalize(a2.get_end() - a2.get_start()), buff=0.1))
        sigma_note = MathTex(r"\text{arrows: } 2\sqrt{\lambda_i}\ \text{(two std. dev.)}",
                             font_size=28).next_to(eig, DOWN, buff=0.3)
        self.play(GrowArrow(arrows[0]), GrowArrow(arrows[1]), FadeIn(arrow_lbls), run_time=1.5)
        self.play(Create(ellipse), Write(sigma_note), run_time=1.2)
        self.wait(1)

        # projection onto the first component
        pc_line = axis_line(axes, mean, comps[0]).set_stroke(YELLOW, 2, opacity=0.6)
        proj = project(X, mean, comps[0])
        drops = VGroup(*[DashedLine(p(a), p(b), dash_length=0.06, stroke_width=1.5, color=GREY_A)
                         for a, b in zip(X, proj) if np.linalg.norm(a - b) > 1e-3])
        self.play(FadeOut(ellipse), Create(pc_line), run_time=1)
        self.play(LaggedStart(*[Create(d) for d in drops], lag_ratio=0.02), run_time=1.5)
        ghosts = dots.copy().set_opacity(0.25)  # keep the original cloud visible under the projections
        self.add(ghosts)
        self.play(*[d.animate.move_to(p(q)).set_color(YELLOW) for d, q in zip(dots, proj)],
                  run_time=2)
        self.play(FadeOut(drops), run_time=0.6)
        self.wait(0.5)

        # explained variance ratio, as numbers and as a bar
        evr = MathTex(r"\frac{\lambda_1}{\lambda_1+\lambda_2} = %.3f" % ratio[0], font_size=34)
        evr.next_to(sigma_note, DOWN, buff=0.35)
        bar_w = 5.0
        frame = Rectangle(width=bar_w, height=0.35, stroke_color=GREY_B, stroke_width=2)
        frame.next_to(evr, DOWN, buff=0.25)
        fill1 = Rectangle(width=bar_w * ratio[0], height=0.35, fill_color=YELLOW, fill_opacity=0.8,
                          stroke_width=0).align_to(frame, LEFT).align_to(frame, DOWN)
        fill2 = Rectangle(width=bar_w * ratio[1], height=0.35, fill_color=GREEN, fill_opacity=0.8,
                          stroke_width=0).align_to(frame, RIGHT).align_to(frame, DOWN)
        caption = Text("PC1 keeps %.1f%% of the variance" % (100 * ratio[0]), font_size=24)
        caption.next_to(frame, DOWN, buff=0.2)
        self.play(Write(evr), run_time=1)
        self.play(Create(frame), GrowFromEdge(fill1, LEFT), GrowFromEdge(fill2, RIGHT), run_time=1.2)
        self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.8)
        self.wait(3)
