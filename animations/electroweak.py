"""Electroweak symmetry breaking. The Higgs potential V(phi) = -mu^2 |phi|^2 + lambda |phi|^4 is drawn as a
3-D "Mexican hat" over the complex phi plane. A homogeneous field value starts just off the symmetric but
unstable origin and obeys the damped equation of motion phi'' = (mu^2 - 2 lambda |phi|^2) phi - gamma phi',
integrated with fourth-order Runge-Kutta steps in numpy; it rolls off the hump, spirals and settles on the
circle of vacua |phi| = sqrt(mu^2 / (2 lambda)) = v / sqrt(2), picking one direction. The electroweak
Lagrangian (gauge, kinetic, potential, Yukawa terms) and the resulting masses m_W = g v / 2,
m_Z = sqrt(g^2 + g'^2) v / 2 and m_H = sqrt(2) mu are written; the minimum of V and the Higgs mass are also
measured numerically from the potential.
"""
from manim import *
import numpy as np

META = {
    "title": "Electroweak symmetry breaking: the Higgs potential",
    "summary": "A field value rolls off the top of the Mexican-hat potential under damped dynamics and settles "
               "in the vacuum |phi| = v/sqrt(2); Lagrangian terms and the W, Z, Higgs masses.",
    "keywords": ["electroweak", "higgs", "higgs mechanism", "symmetry breaking", "spontaneous symmetry breaking",
                 "mexican hat", "higgs potential", "vacuum expectation value", "w boson", "standard model"],
    "scene": "ElectroweakScene",
    "category": "math",
    "order": 18,
    "notes": "electroweak",
    "params": {
        "MU": {"default": 1.0, "type": "float", "min": 0.5, "max": 2.0,
               "aliases": ["mu", "mass parameter"], "help": "mu in V = -mu^2|phi|^2 + lambda|phi|^4"},
        "LAMBDA": {"default": 0.5, "type": "float", "min": 0.1, "max": 2.0,
                   "aliases": ["lambda", "quartic coupling", "self-coupling"],
                   "help": "quartic self-coupling lambda"},
        "DAMPING": {"default": 0.6, "type": "float", "min": 0.2, "max": 3.0,
                    "aliases": ["damping", "friction", "gamma"], "help": "friction gamma in the equation of motion"},
    },
}

MU = 1.0
LAMBDA = 0.5
DAMPING = 0.6

START = (0.01, 0.0)  # initial field value, in units of the vacuum radius: just off the unstable origin
KICK = (0.0, 0.01)   # small initial velocity (units of mu * vacuum radius), so the roll-off spirals


def potential(phi_abs, mu=MU, lam=LAMBDA):
    return -mu ** 2 * phi_abs ** 2 + lam * phi_abs ** 4


def vacuum_radius(mu=MU, lam=LAMBDA):
    """|phi| at the minimum of V: dV/d|phi| = 0  =>  |phi|^2 = mu^2 / (2 lambda)."""
    return np.sqrt(mu ** 2 / (2 * lam))


def vev(mu=MU, lam=LAMBDA):
    """v with <phi> = v / sqrt(2) (the Standard Model convention; 246 GeV in nature): v = mu / sqrt(lambda)."""
    return mu / np.sqrt(lam)


def numerical_minimum(mu=MU, lam=LAMBDA, n=200001):
    """Minimise V over a fine grid of |phi| (no formula used): returns (argmin, min)."""
    r = np.linspace(0.0, 3 * vacuum_radius(mu, lam), n)
    V = potential(r, mu, lam)
    i = int(np.argmin(V))
    return r[i], V[i]


def higgs_mass_from_curvature(mu=MU, lam=LAMBDA, h=1e-4):
    """m_H^2 = V''(|phi|)/2 at the minimum (the radial mode has kinetic term (d|phi|)^2), by finite differences."""
    r = vacuum_radius(mu, lam)
    curvature = (potential(r + h, mu, lam) - 2 * potential(r, mu, lam) + potential(r - h, mu, lam)) / h ** 2
    return np.sqrt(curvature / 2)


def settle_time(mu=MU, gamma=DAMPING):
    """Integration length: escape from the origin plus twelve decay times of the slowest mode about the vacuum.

    Linearised: at the origin d'' + gamma d' - mu^2 d = 0 grows at (-gamma + sqrt(gamma^2 + 4 mu^2)) / 2; at the
    vacuum d'' + gamma d' + 2 mu^2 d = 0 (frequency m_H) decays at gamma/2, or slower when overdamped.
    """
    growth = (-gamma + np.sqrt(gamma ** 2 + 4 * mu ** 2)) / 2
    omega2 = 2 * mu ** 2
    rate = gamma / 2 if gamma ** 2 < 4 * omega2 else (gamma - np.sqrt(gamma ** 2 - 4 * omega2)) / 2
    return 6.0 / growth + 12.0 / rate


def roll(mu=MU, lam=LAMBDA, gamma=DAMPING, dt=None, t_end=None):
    """RK4 for phi'' = (mu^2 - 2 lam |phi|^2) phi - gamma phi', phi in R^2 (real, imaginary parts).

    Returns times and the path phi(t) of shape (steps + 1, 2).
    """
    r_v = vacuum_radius(mu, lam)
    dt = 0.01 / mu if dt is None else dt
    t_end = settle_time(mu, gamma) if t_end is None else t_end
    steps = int(np.ceil(t_end / dt))

    def deriv(state):
        phi, vel = state[:2], state[2:]
        acc = (mu ** 2 - 2 * lam * phi @ phi) * phi - gamma * vel
        return np.concatenate([vel, acc])

    state = np.array([START[0] * r_v, START[1] * r_v, KICK[0] * mu * r_v, KICK[1] * mu * r_v])
    path = np.empty((steps + 1, 2))
    path[0] = state[:2]
    for i in range(steps):
        k1 = deriv(state)
        k2 = deriv(state + 0.5 * dt * k1)
        k3 = deriv(state + 0.5 * dt * k2)
        k4 = deriv(state + dt * k3)
        state = state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        path[i + 1] = state[:2]
    return np.arange(steps + 1) * dt, path


def shown_part(times, path, r_v, tol=0.02):
    """Index after which |phi| stays within tol of the vacuum radius (the rest is invisible on screen)."""
    off = np.abs(np.linalg.norm(path, axis=1) / r_v - 1) > tol
    last = np.nonzero(off)[0].max() if off.any() else 0
    return min(len(path) - 1, int(last * 1.15) + 1)


HAT_R = 1.45  # drawn radius, in units of the vacuum radius


class ElectroweakScene(ThreeDScene):
    def construct(self):
        r_v = vacuum_radius()
        times, path = roll()
        end = shown_part(times, path, r_v)
        shown = path[:end + 1:max(1, end // 400)] / r_v  # at most ~400 drawn points, vacuum units
        r_min, v_min = numerical_minimum()
        m_h = higgs_mass_from_curvature()

        theta = -60 * DEGREES
        self.set_camera_orientation(phi=58 * DEGREES, theta=theta)
        axes = ThreeDAxes(x_range=[-1.6, 1.6, 1], y_range=[-1.6, 1.6, 1], z_range=[-1.2, 0.6, 1],
                          x_length=6.4, y_length=6.4, z_length=3.0, tips=False)
        # Move the hat to the left of the screen (the screen's right is (-sin theta, cos theta, 0) in 3-D)
        # and a little down, leaving the right column for the formulas.
        axes.shift(-3.3 * np.array([-np.sin(theta), np.cos(theta), 0.0]) + 0.3 * IN)

        def height(x, y):
            """V / |V_min| in vacuum units: -2 R^2 + R^4 (the shape is the same for every mu, lambda)."""
            r2 = x * x + y * y
            return -2 * r2 + r2 * r2

        hat = Surface(lambda u, w: axes.c2p(u * np.cos(w), u * np.sin(w), height(u * np.cos(w), u * np.sin(w))),
                      u_range=[0, HAT_R], v_range=[0, TAU], resolution=(10, 30), fill_opacity=0.6,
                      stroke_width=0.3, stroke_color=GREY_B)
        hat.set_fill_by_value(axes=axes, axis=2,
                              colorscale=[(BLUE_E, -1.0), (BLUE_C, -0.5), (PURPLE_B, -0.1), (GOLD, 0.2)])
        vacuum = ParametricFunction(lambda s: axes.c2p(np.cos(s), np.sin(s), -1.0), t_range=[0, TAU],
                                    color=GREEN, stroke_width=4)

        title = Text("Electroweak symmetry breaking: the Higgs potential", font_size=30).to_edge(UP, buff=0.25)
        self.add_fixed_in_frame_mobjects(title)
        self.play(Write(title), run_time=1.5)
        self.play(Create(hat), run_time=2)

        # Lagrangian, term by term, colour-coded (right column, fixed to the screen).
        col_x = 3.75
        lag = MathTex(r"\mathcal{L}_{EW} =", r"-\tfrac14 W^a_{\mu\nu}W^{a\,\mu\nu} - \tfrac14 B_{\mu\nu}B^{\mu\nu}",
                      r"+ (D_\mu\phi)^\dagger(D^\mu\phi)", r"- V(\phi)",
                      r"- y_f\,\bar\psi_L\,\phi\,\psi_R + \text{h.c.}").scale(0.58)
        colors = [WHITE, BLUE_B, GREEN_B, YELLOW, ORANGE]
        names = ["", "gauge fields", "kinetic (gives W, Z mass)", "Higgs potential", "Yukawa (fermion mass)"]
        rows = VGroup()
        for part, color, name in zip(lag, colors, names):
            part.set_color(color)
            if name:
                rows.add(VGroup(part.copy(), Text(name, font_size=18, color=color)).arrange(RIGHT, buff=0.25))
            else:
                rows.add(part.copy())
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.12).move_to([col_x, 1.95, 0])
        for r in rows[1:]:
            r.shift(RIGHT * 0.3)
        self.add_fixed_in_frame_mobjects(rows)
        self.remove(rows)
        self.play(LaggedStart(*[FadeIn(r, shift=LEFT * 0.2) for r in rows], lag_ratio=0.5), run_time=3)

        pot = MathTex(r"V(\phi) = -\mu^2|\phi|^2 + \lambda|\phi|^4", color=YELLOW).scale(0.7)
        vac = MathTex(r"|\langle\phi\rangle| = \sqrt{\tfrac{\mu^2}{2\lambda}} = \tfrac{v}{\sqrt2},\quad"
                      r" v = \tfrac{\mu}{\sqrt\lambda}", color=GREEN).scale(0.7)
        params = MathTex(rf"\mu = {MU:g},\ \lambda = {LAMBDA:g},\ \gamma = {DAMPING:g}").scale(0.6)
        eom = MathTex(r"\ddot\phi = (\mu^2 - 2\lambda|\phi|^2)\,\phi - \gamma\,\dot\phi").scale(0.6)
        block = VGroup(pot, vac, params, eom).arrange(DOWN, buff=0.14).next_to(rows, DOWN, buff=0.25)
        block.set_x(col_x)
        self.add_fixed_in_frame_mobjects(block)
        self.remove(block)
        self.play(Write(pot), Write(vac))
        self.play(FadeIn(params), FadeIn(eom))
        self.play(Create(vacuum))

        # The ball: the integrated field value, lifted onto the surface.
        def lift(p):
            return axes.c2p(p[0], p[1], height(p[0], p[1]) + 0.06)  # just above the surface

        lifted = np.array([lift(p) for p in shown])  # computed once; the updaters only slice it
        k = ValueTracker(0)
        ball = Dot3D(lifted[0], radius=0.18, color=PURE_RED)
        ball.add_updater(lambda d: d.move_to(lifted[int(k.get_value())]))
        trail = VMobject(color=RED_A, stroke_width=4).set_points_as_corners(lifted[:2])
        trail.add_updater(lambda m: m.set_points_as_corners(lifted[:max(2, int(k.get_value()) + 1)]))
        self.play(FadeIn(ball))
        self.add(trail)
        # The camera stays still while the ball rolls: the hat is then drawn once, not on every frame.
        self.play(k.animate.set_value(len(shown) - 1), run_time=8, rate_func=linear)
        ball.clear_updaters()
        trail.clear_updaters()

        final = np.linalg.norm(path[-1])
        result = MathTex(rf"|\phi(t_\text{{end}})| = {final:.4f}\ \ \text{{vs}}\ \ "
                         rf"\sqrt{{\mu^2/2\lambda}} = {r_v:.4f}", color=RED_A).scale(0.6)
        minimum = MathTex(rf"\min V = {v_min:.4f}\ \text{{at}}\ |\phi| = {r_min:.4f}"
                          rf"\quad(-\mu^4/4\lambda = {-MU ** 4 / (4 * LAMBDA):.4f})").scale(0.55)
        masses = MathTex(r"m_W = \tfrac{g v}{2},\ \ m_Z = \tfrac{\sqrt{g^2+g'^2}\,v}{2},\ \ m_H = \sqrt2\,\mu"
                         rf" = {m_h:.3f}", color=TEAL_A).scale(0.62)
        out = VGroup(result, minimum, masses).arrange(DOWN, buff=0.14).next_to(block, DOWN, buff=0.22)
        out.set_x(col_x)
        for line in out:
            if line.width > 5.6:
                line.scale_to_fit_width(5.6)
        self.add_fixed_in_frame_mobjects(out)
        self.remove(out)
        self.play(Write(result))
        self.play(Write(minimum))
        self.play(Write(masses))
        self.wait(2)
