"""Diffusion versus optimal transport. A few hundred particles drawn (fixed seed) from a two-bump Gaussian
mixture take Brownian steps x += sqrt(2 D dt) * noise, so their density solves the heat equation; the
histogram is compared with the exact solution (the initial mixture convolved with a Gaussian of variance
2 D t) and the variance gain with 2 D t. Next to it the same initial particles are moved by the optimal
transport map onto the same final positions: in 1-D that is the monotone rearrangement (sort both clouds and
match ranks, i.e. quantile matching), so the particles travel on straight lines that never cross, while the
diffusion paths are random and cross constantly. The scene counts how many particle pairs swapped order.
"""
from manim import *
import numpy as np

META = {
    "title": "Diffusion vs optimal transport",
    "summary": "Brownian particles spreading under the heat equation beside the optimal transport map between "
               "the same initial and final clouds: random crossing paths versus straight monotone ones.",
    "keywords": ["diffusion", "heat equation", "brownian motion", "optimal transport", "monotone rearrangement",
                 "quantile matching", "fokker-planck", "random walk", "wasserstein", "particles"],
    "scene": "DiffusionTransportScene",
    "category": "math",
    "order": 20,
    "notes": "diffusion_transport",
    "params": {
        "D": {"default": 0.5, "type": "float", "min": 0.05, "max": 1.0,
              "aliases": ["diffusion coefficient", "diffusivity", "diffusion"], "help": "diffusion coefficient"},
        "N_PARTICLES": {"default": 200, "type": "int", "min": 50, "max": 300,
                        "aliases": ["particles", "n", "dots"], "help": "number of particles"},
    },
}

D = 0.5
N_PARTICLES = 200
SEED = 0

T_END = 1.0
N_STEPS = 40
MIXTURE = [(0.5, -2.0, 0.5), (0.5, 2.0, 0.5)]  # (weight, mean, std) of the initial density
N_TRACKED = 8  # particles whose full paths are drawn


def sample_initial(n, seed=SEED):
    """n draws from MIXTURE: pick a component by weight, then a Gaussian draw."""
    rng = np.random.default_rng(seed)
    weights = np.array([w for w, _, _ in MIXTURE])
    comp = rng.choice(len(MIXTURE), size=n, p=weights / weights.sum())
    means = np.array([m for _, m, _ in MIXTURE])[comp]
    stds = np.array([s for _, _, s in MIXTURE])[comp]
    return means + stds * rng.standard_normal(n)


def simulate(n=N_PARTICLES, d=D, t_end=T_END, steps=N_STEPS, seed=SEED):
    """Euler-Maruyama for dX = sqrt(2 D) dW: returns positions of shape (steps + 1, n)."""
    rng = np.random.default_rng(seed + 1)
    dt = t_end / steps
    x0 = sample_initial(n, seed)
    increments = np.sqrt(2 * d * dt) * rng.standard_normal((steps, n))
    return np.vstack([x0, x0 + np.cumsum(increments, axis=0)])


def exact_density(x, t, d=D):
    """Heat-equation solution from MIXTURE: each bump's variance grows by 2 D t."""
    return sum(w * np.exp(-0.5 * (x - m) ** 2 / (s * s + 2 * d * t)) / np.sqrt(2 * np.pi * (s * s + 2 * d * t))
               for w, m, s in MIXTURE)


def ot_map(x0, x1):
    """Optimal (monotone) map between two equal-size clouds in 1-D: the k-th smallest goes to the k-th smallest."""
    target = np.empty_like(x0)
    target[np.argsort(x0)] = np.sort(x1)
    return target


def swapped_pairs(start, end):
    """How many pairs of particles are in the opposite order at the end than at the start (path crossings)."""
    a = np.sign(start[:, None] - start[None, :])
    b = np.sign(end[:, None] - end[None, :])
    return int(np.sum(np.triu(a * b < 0, k=1)))


def histogram_curve(x, edges):
    """Normalised histogram as stair-step points (x, y)."""
    counts, _ = np.histogram(x, bins=edges)
    h = counts / (len(x) * np.diff(edges))
    xs = np.repeat(edges, 2)[1:-1]
    return xs, np.repeat(h, 2)


class DiffusionTransportScene(Scene):
    def construct(self):
        paths = simulate()
        x0, x1 = paths[0], paths[-1]
        target = ot_map(x0, x1)
        n = len(x0)
        dt = T_END / N_STEPS
        half = int(np.ceil(np.abs(paths).max())) + 1
        edges = np.linspace(-half, half, 2 * half * 2 + 1)  # bins of width 0.5
        y_max = 1.25 * max(max(histogram_curve(p, edges)[1].max() for p in paths), exact_density(np.array(
            [m for _, m, _ in MIXTURE]), 0).max())
        tracked = np.argsort(x0)[np.linspace(0, n - 1, N_TRACKED).round().astype(int)]

        title = Text("Diffusion vs optimal transport", font_size=34).to_edge(UP, buff=0.25)
        self.play(Write(title))

        tau = ValueTracker(0.0)  # time in steps: 0 .. N_STEPS

        def diffusion_at(s):
            k = min(int(s), N_STEPS - 1)
            f = s - k
            return (1 - f) * paths[k] + f * paths[k + 1]

        def transport_at(s):
            u = s / N_STEPS
            return (1 - u) * x0 + u * target

        panels = []
        # The diffusion side compares with the exact density at time t; the transport side with the final one,
        # where both sides end.
        for cx, name, where, curve_time in ((-3.45, r"Diffusion: $dX = \sqrt{2D}\,dW$", diffusion_at, lambda s: s * dt),
                                            (3.45, r"Optimal transport: $x \mapsto T(x)$", transport_at,
                                             lambda s: T_END)):
            panels.append(self.panel(cx, name, where, curve_time, tau, half, y_max, edges, tracked, dt))
        self.play(*[FadeIn(p["static"]) for p in panels])
        self.add(*[p["dynamic"] for p in panels])

        var0 = np.var(x0)
        readout = VGroup(MathTex(r"\mathrm{Var}(x_t) - \mathrm{Var}(x_0) ="), DecimalNumber(0, num_decimal_places=3),
                         MathTex(r"\text{vs}\ \ 2Dt ="), DecimalNumber(0, num_decimal_places=3))
        readout.arrange(RIGHT, buff=0.12)
        readout[2].shift(RIGHT * 0.3)
        readout[3].shift(RIGHT * 0.3)
        readout.scale(0.5).move_to([-3.45, 2.35, 0])

        shown_step = [0]

        def refresh(group):
            # Every 4th step only: re-typesetting the numbers costs more than drawing all the particles.
            k = int(tau.get_value()) // 4 * 4
            if k != shown_step[0]:
                shown_step[0] = k
                group[1].set_value(np.var(paths[k]) - var0)
                group[3].set_value(2 * D * k * dt)

        readout.add_updater(refresh)
        map_text = MathTex(r"T = F_1^{-1}\circ F_0:\ \text{sort both clouds, match ranks}").scale(0.5)
        map_text.move_to([3.45, 2.35, 0])
        self.play(FadeIn(readout), FadeIn(map_text))
        self.play(tau.animate.set_value(N_STEPS), run_time=13, rate_func=linear)
        self.wait(0.5)

        crossings = [swapped_pairs(x0, x1), swapped_pairs(x0, target)]
        total = n * (n - 1) // 2
        verdicts = VGroup(
            Text(f"random paths: {crossings[0]} of {total} pairs swapped order", font_size=20, color=ORANGE),
            Text(f"straight paths: {crossings[1]} of {total} pairs swapped order", font_size=20, color=GREEN),
        )
        verdicts[0].move_to([-3.45, 2.35, 0])
        verdicts[1].move_to([3.45, 2.35, 0])
        for v in verdicts:
            if v.width > 5.9:
                v.scale_to_fit_width(5.9)
        readout.clear_updaters()
        self.play(FadeOut(readout), FadeOut(map_text), run_time=0.4)
        self.play(FadeIn(verdicts))
        self.wait(3)

    def panel(self, cx, name, where, curve_time, tau, half, y_max, edges, tracked, dt):
        """One side: density axes on top (histogram vs curve), space-time axes below (dots and tracked paths)."""
        density = Axes(x_range=[-half, half, 1], y_range=[0, y_max, y_max], x_length=5.9, y_length=1.35,
                       tips=False, axis_config={"stroke_width": 2}).move_to([cx, 1.3, 0])
        spacetime = Axes(x_range=[-half, half, 2], y_range=[0, T_END, T_END / 2], x_length=5.9, y_length=3.0,
                         tips=False, axis_config={"stroke_width": 2},
                         x_axis_config={"numbers_to_include": range(-half + half % 2, half + 1, 2), "font_size": 18})
        spacetime.move_to([cx, -1.65, 0])
        # The y-axes would sit at x = 0, under the particles: hide them and draw the time axis on the left edge.
        density.y_axis.set_opacity(0)
        spacetime.y_axis.set_opacity(0)
        time_axis = Line(spacetime.c2p(-half, 0), spacetime.c2p(-half, T_END), stroke_width=2)
        t_ticks = VGroup(*[MathTex(f"{v:g}").scale(0.45).next_to(spacetime.c2p(-half, v), LEFT, buff=0.08)
                           for v in (0, T_END / 2, T_END)])
        subtitle = Tex(name).scale(0.65).move_to([cx, 2.8, 0])
        t_label = MathTex("t").scale(0.55).next_to(time_axis, UP, buff=0.05)
        x_label = MathTex("x").scale(0.55).next_to(spacetime.x_axis, RIGHT, buff=0.1)
        static = VGroup(subtitle, density, spacetime, time_axis, t_ticks, t_label, x_label)
        xs = np.linspace(-half, half, 200)

        # Every moving part is updated in place (no always_redraw, which rebuilds and copies each frame).
        hist = VMobject(color=BLUE_B, stroke_width=2)
        hist.add_updater(lambda m: m.set_points_as_corners(density.c2p(*histogram_curve(
            where(tau.get_value()), edges)).T))
        curve = VMobject(color=YELLOW, stroke_width=3)
        curve.add_updater(lambda m: m.set_points_as_corners(density.c2p(
            xs, exact_density(xs, curve_time(tau.get_value()))).T))

        # All particles are ONE mobject: a small circle outline repeated at every position, one subpath each,
        # so the renderer draws a single path instead of hundreds of Dots.
        disc = Circle(radius=0.035, num_components=5).points

        def place(cloud):
            s = tau.get_value()
            x_now = where(s)
            centres = spacetime.c2p(x_now, np.full_like(x_now, s * dt)).T
            cloud.points = (centres[:, None, :] + disc[None, :, :]).reshape(-1, 3)

        dots = VMobject(fill_color=BLUE_C, fill_opacity=0.75, stroke_width=0)
        place(dots)
        dots.add_updater(place)

        colors = color_gradient([RED, ORANGE, YELLOW, GREEN, TEAL, BLUE, PURPLE, PINK], N_TRACKED)
        trails = VGroup(*[VMobject(color=c, stroke_width=2.5) for c in colors])

        def draw_trails(group):
            s = tau.get_value()
            times = np.append(np.arange(int(s) + 1), s)  # whole steps so far, then the current instant
            pts = np.array([where(k)[tracked] for k in times])  # (len(times), N_TRACKED)
            for j, line in enumerate(group):
                line.set_points_as_corners(spacetime.c2p(pts[:, j], times * dt).T)

        draw_trails(trails)
        trails.add_updater(draw_trails)

        dynamic = VGroup(hist, curve, dots, trails)
        return {"static": static, "dynamic": dynamic}
