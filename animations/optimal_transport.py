"""Optimal transport in one dimension (Wasserstein-2, Benamou-Brenier). A two-bump Gaussian mixture rho_0
is moved onto a Gaussian rho_1. On a grid, the scene computes the cumulative distributions, the monotone
(optimal) map T = F_1^{-1} o F_0 and the displacement interpolation rho_t = ((1-t) Id + t T)_# rho_0 via the
change-of-variables formula, and animates rho_t while a ValueTracker moves t from 0 to 1; particles placed at
quantiles of rho_0 travel along straight lines. The W_2 distance is integrated from the quantile functions,
and the Benamou-Brenier dynamic formulation is written next to it.
"""
from manim import *
import numpy as np

META = {
    "title": "Optimal transport: Wasserstein-2 and Benamou-Brenier",
    "summary": "Displacement interpolation between a Gaussian mixture and a Gaussian from quantile functions, "
               "with the W2 distance computed and the Benamou-Brenier formula.",
    "keywords": ["optimal transport", "wasserstein", "wasserstein-2", "w2", "benamou-brenier", "benamou brenier",
                 "displacement interpolation", "monge", "quantile function", "transport map", "earth mover"],
    "scene": "OptimalTransportScene",
    "category": "math",
    "order": 16,
    "notes": "optimal_transport",
    "params": {
        "TARGET_MEAN": {"default": 0.5, "type": "float", "min": -1.5, "max": 1.5,
                        "aliases": ["mean", "target mean", "mu"], "help": "mean of the target Gaussian rho_1"},
        "TARGET_STD": {"default": 0.8, "type": "float", "min": 0.4, "max": 1.5,
                       "aliases": ["std", "sigma", "target std", "width"],
                       "help": "standard deviation of the target Gaussian rho_1"},
    },
}

TARGET_MEAN = 0.5
TARGET_STD = 0.8

SOURCE_MIXTURE = [(0.5, -2.0, 0.55), (0.5, 1.8, 0.7)]  # (weight, mean, std) of rho_0's two bumps
GRID = np.linspace(-10.0, 10.0, 4001)
N_QUANTILES = 4000  # midpoint rule on (0, 1) for the W2 integral
N_PARTICLES = 16


def gaussian(x, mean, std):
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2 * np.pi))


def mixture_density(x, components):
    return sum(w * gaussian(x, m, s) for w, m, s in components)


def cdf(x, rho):
    """Cumulative distribution on the grid by the trapezoid rule, normalised to end at 1."""
    F = np.concatenate([[0.0], np.cumsum(0.5 * (rho[1:] + rho[:-1]) * np.diff(x))])
    return F / F[-1]


def quantile(x, rho, u):
    """F^{-1}(u): invert the grid CDF on the points where it strictly increases."""
    F = cdf(x, rho)
    keep = np.concatenate([[True], np.diff(F) > 0])
    return np.interp(u, F[keep], x[keep])


def midpoints(n=N_QUANTILES):
    return (np.arange(n) + 0.5) / n


def wasserstein_p(x, rho0, rho1, p=2):
    """W_p = (int_0^1 |F_0^{-1}(u) - F_1^{-1}(u)|^p du)^(1/p), midpoint rule in u."""
    u = midpoints()
    return np.mean(np.abs(quantile(x, rho0, u) - quantile(x, rho1, u)) ** p) ** (1.0 / p)


def transport_map(x, rho0, rho1):
    """The optimal (monotone) map T = F_1^{-1} o F_0 evaluated on the grid."""
    return quantile(x, rho1, cdf(x, rho0))


def interpolant(x, rho0, rho1, t):
    """rho_t = (S_t)_# rho_0 with S_t = (1-t) Id + t T, as a curve (S_t(x), rho_t(S_t(x))).

    Change of variables: rho_t(S_t(x)) = rho_0(x) / S_t'(x), and T'(x) = rho_0(x) / rho_1(T(x)), so the
    density is the harmonic interpolation 1 / ((1-t)/rho_0(x) + t/rho_1(T(x))). Only points where rho_0 has
    mass are kept (elsewhere T is not defined).
    """
    F0 = cdf(x, rho0)
    inside = (F0 > 1e-9) & (F0 < 1 - 1e-9)
    xs = x[inside]
    T = transport_map(x, rho0, rho1)[inside]
    r0, r1 = rho0[inside], np.interp(T, x, rho1)
    return (1 - t) * xs + t * T, 1.0 / ((1 - t) / r0 + t / r1)


def densities(mean=None, std=None):
    m = TARGET_MEAN if mean is None else mean
    s = TARGET_STD if std is None else std
    return GRID, mixture_density(GRID, SOURCE_MIXTURE), gaussian(GRID, m, s)


class OptimalTransportScene(Scene):
    def construct(self):
        x, rho0, rho1 = densities()
        w2 = wasserstein_p(x, rho0, rho1, 2)
        u = midpoints(N_PARTICLES)
        q0, q1 = quantile(x, rho0, u), quantile(x, rho1, u)

        title = Text("Optimal transport in 1-D: displacement interpolation", font_size=32).to_edge(UP, buff=0.3)
        self.play(Write(title))

        y_max = 1.15 * max(rho0.max(), rho1.max())
        axes = Axes(x_range=[-6, 6, 1], y_range=[0, y_max, y_max / 4], x_length=7.4, y_length=4.4,
                    tips=False, axis_config={"include_numbers": False})
        axes.x_axis.add_numbers(range(-6, 7, 2), font_size=22)
        axes.to_edge(LEFT, buff=0.35).shift(DOWN * 0.45)
        visible = (x >= -6) & (x <= 6)

        def curve(xs, ys, color, width=3):
            keep = (xs >= -6) & (xs <= 6)
            pts = axes.c2p(xs[keep], ys[keep]).T  # vectorised: one call for the whole curve
            return VMobject(color=color, stroke_width=width).set_points_as_corners(pts)

        c0 = curve(x[visible][::4], rho0[visible][::4], BLUE)
        c1 = curve(x[visible][::4], rho1[visible][::4], RED)
        legend = VGroup(MathTex(r"\rho_0", color=BLUE), MathTex(r"\rho_1", color=RED),
                        MathTex(r"\rho_t", color=YELLOW)).scale(0.8).arrange(RIGHT, buff=0.5)
        legend.next_to(axes, UP, buff=0.1).align_to(axes, LEFT).shift(RIGHT * 0.3)
        self.play(Create(axes), Create(c0), Create(c1), FadeIn(legend[:2]))

        # Right column: the formulas, written top-down as the animation reaches them.
        col_x = 3.85
        t = ValueTracker(0.0)
        t_label = VGroup(MathTex("t ="), DecimalNumber(0, num_decimal_places=2)).arrange(RIGHT).scale(0.8)
        t_label[1].add_updater(lambda d: d.set_value(t.get_value()))
        map_tex = MathTex(r"T = F_1^{-1}\circ F_0").scale(0.8)
        push_tex = MathTex(r"\rho_t = \big((1-t)\,\mathrm{Id} + t\,T\big)_{\#}\,\rho_0", color=YELLOW).scale(0.8)
        column = VGroup(map_tex, push_tex, t_label).arrange(DOWN, buff=0.3).move_to([col_x, 1.95, 0])
        self.play(Write(map_tex), Write(push_tex), FadeIn(t_label), FadeIn(legend[2]))

        # rho_t is recomputed from the transport map at every frame; particles move on straight lines.
        rho_t = always_redraw(lambda: curve(*[v[::3] for v in interpolant(x, rho0, rho1, t.get_value())], YELLOW, 4))
        particles = VGroup(*[Dot(radius=0.06, color=YELLOW) for _ in u])

        def place(group):
            s = t.get_value()
            for dot, a, b in zip(group, q0, q1):
                dot.move_to(axes.c2p((1 - s) * a + s * b, 0) + DOWN * 0.65)  # below the tick labels

        particles.add_updater(place)
        self.play(Create(rho_t), FadeIn(particles))
        self.play(t.animate.set_value(1.0), run_time=5, rate_func=smooth)
        self.wait(0.3)
        self.play(t.animate.set_value(0.5), run_time=2)

        w2_def = MathTex(r"W_2^2(\rho_0,\rho_1) = \int_0^1 \big|F_0^{-1}(u) - F_1^{-1}(u)\big|^2\,du").scale(0.7)
        w2_val = MathTex(rf"W_2(\rho_0,\rho_1) = {w2:.3f}", color=GREEN).scale(0.8)
        bb_title = Text("Benamou-Brenier", font_size=26, color=TEAL)
        bb = MathTex(r"W_2^2 = \min_{\rho,\,v} \int_0^1\!\!\int \rho\,|v|^2\,dx\,dt").scale(0.75)
        bb_c = MathTex(r"\text{s.t. }\ \partial_t\rho + \nabla\cdot(\rho v) = 0").scale(0.75)
        lower = VGroup(w2_def, w2_val, bb_title, bb, bb_c).arrange(DOWN, buff=0.25)
        for line in lower:  # keep the column inside the frame's right margin
            if line.width > 5.3:
                line.scale_to_fit_width(5.3)
        lower.next_to(column, DOWN, buff=0.35)
        lower.set_x(col_x)
        self.play(Write(w2_def))
        self.play(Write(w2_val))
        self.wait(0.5)
        self.play(FadeIn(bb_title), Write(bb), Write(bb_c), run_time=2)
        box = SurroundingRectangle(VGroup(bb_title, bb, bb_c), color=TEAL, buff=0.12)
        self.play(Create(box))
        self.play(t.animate.set_value(0.0), run_time=2)
        self.play(t.animate.set_value(1.0), run_time=3)
        self.wait(1.5)
