"""Quantum electrodynamics. The QED Lagrangian is written, expanded with D_mu = d_mu + i e A_mu and explained
term by term (Dirac kinetic, mass, interaction, Maxwell), then electron-electron (Moller) scattering is drawn
as its tree-level t-channel Feynman diagram: fermion lines with arrows, a wavy photon built from a
ParametricFunction, the vertex factors -i e gamma^mu and the photon propagator -i g_{mu nu} / q^2. Finally the
non-relativistic angular distribution is computed from those amplitudes: for every angle the momentum
transfers q_t = p - p' and q_u = p + p' are formed, M ~ 1/q^2 for each channel, and the spin-averaged
|M_t|^2 + |M_u|^2 - M_t M_u (identical spin-1/2 electrons) is plotted against the t-channel-only Rutherford
1/sin^4(theta/2).
"""
from manim import *
import numpy as np

META = {
    "title": "Quantum electrodynamics: Lagrangian and Moller scattering",
    "summary": "The QED Lagrangian term by term, the tree-level photon-exchange diagram for e-e- scattering, "
               "and the angular distribution computed from the photon propagator.",
    "keywords": ["qed", "quantum electrodynamics", "feynman diagram", "moller scattering", "lagrangian",
                 "dirac equation", "photon propagator", "rutherford", "cross section", "gauge theory"],
    "scene": "QEDScene",
    "category": "math",
    "order": 19,
    "notes": "qed",
    "params": {},
}

THETA_MIN, THETA_MAX = 20.0, 160.0  # plotted scattering angles, degrees (both channels diverge at the ends)


def momentum_transfers(theta, p=1.0):
    """|q_t|^2 and |q_u|^2 for elastic CM scattering by angle theta: q_t = p_in - p_out, q_u = p_in + p_out."""
    theta = np.asarray(theta, dtype=float)
    p_in = np.array([p, 0.0, 0.0])
    p_out = p * np.stack([np.cos(theta), np.sin(theta), np.zeros_like(theta)], axis=-1)
    q_t, q_u = p_in - p_out, p_in + p_out
    return np.sum(q_t ** 2, axis=-1), np.sum(q_u ** 2, axis=-1)


def amplitudes(theta, p=1.0):
    """Tree-level non-relativistic amplitudes (units of e^2): the photon propagator gives 1/q^2 per channel."""
    qt2, qu2 = momentum_transfers(theta, p)
    return 1.0 / qt2, 1.0 / qu2


def moller_cross_section(theta, p=1.0):
    """Spin-averaged |M|^2 for identical spin-1/2 particles: 1/4 singlet |M_t+M_u|^2 + 3/4 triplet |M_t-M_u|^2."""
    mt, mu = amplitudes(theta, p)
    return 0.25 * (mt + mu) ** 2 + 0.75 * (mt - mu) ** 2


def rutherford_cross_section(theta, p=1.0):
    """The t-channel alone (distinguishable particles): |M_t|^2."""
    mt, _ = amplitudes(theta, p)
    return mt ** 2


def normalised(f, theta_deg):
    """Cross-section shape relative to its value at 90 degrees."""
    return f(np.radians(theta_deg)) / f(np.pi / 2)


class QEDScene(Scene):
    def construct(self):
        title = Text("Quantum electrodynamics", font_size=38).to_edge(UP, buff=0.3)
        self.play(Write(title))

        compact = MathTex(r"\mathcal{L}_{\text{QED}} = \bar\psi\,(i\gamma^\mu D_\mu - m)\,\psi"
                          r" - \tfrac14 F_{\mu\nu}F^{\mu\nu}").scale(0.95).shift(UP * 1.6)
        cov = MathTex(r"D_\mu = \partial_\mu + i e A_\mu,\qquad F_{\mu\nu} = \partial_\mu A_\nu - \partial_\nu A_\mu"
                      ).scale(0.7).next_to(compact, DOWN, buff=0.35)
        self.play(Write(compact))
        self.play(FadeIn(cov, shift=UP * 0.2))
        self.wait(0.5)

        terms = MathTex(r"\mathcal{L}_{\text{QED}} =", r"\bar\psi\, i\gamma^\mu\partial_\mu\psi", r"-",
                        r"m\,\bar\psi\psi", r"-", r"e\,\bar\psi\gamma^\mu\psi\,A_\mu", r"-",
                        r"\tfrac14 F_{\mu\nu}F^{\mu\nu}").scale(0.95).shift(DOWN * 0.4)
        colors = {1: BLUE, 3: GREEN, 5: YELLOW, 7: RED}
        names = {1: "Dirac kinetic:\nfree electron", 3: "mass", 5: "interaction:\nelectron-photon vertex",
                 7: "Maxwell:\nfree photon"}
        for i, c in colors.items():
            terms[i].set_color(c)
        self.play(TransformMatchingShapes(compact.copy(), terms), run_time=2)
        labels = VGroup()
        for i, name in names.items():
            brace = Brace(terms[i], DOWN, buff=0.1, color=colors[i])
            text = Text(name, font_size=20, color=colors[i], line_spacing=0.8).next_to(brace, DOWN, buff=0.1)
            labels.add(VGroup(brace, text))
        for group in labels:
            self.play(GrowFromCenter(group[0]), FadeIn(group[1]), run_time=0.8)
        self.wait(1)

        # Keep only the expanded Lagrangian, small, under the title; the diagram and the plot go below.
        self.play(FadeOut(compact), FadeOut(cov), FadeOut(labels),
                  terms.animate.scale(0.7).next_to(title, DOWN, buff=0.3))

        diagram = self.feynman_diagram()
        self.play(FadeIn(diagram[0]), run_time=0.5)
        self.play(Create(diagram[1]), run_time=1.5)
        self.play(Create(diagram[2]), run_time=1.2)
        self.play(FadeIn(diagram[3]), FadeIn(diagram[4]), run_time=1.2)
        self.wait(0.5)

        self.cross_section_plot()
        self.wait(2)

    def feynman_diagram(self):
        """Moller t-channel diagram: header, fermion lines, photon, vertex factors, external momenta."""
        a, b = np.array([-3.6, 0.35, 0]), np.array([-3.6, -2.45, 0])  # the two vertices
        ends = {"p1": a + [-2.2, 0.7, 0], "p3": a + [2.2, 0.7, 0],
                "p2": b + [-2.2, -0.7, 0], "p4": b + [2.2, -0.7, 0]}
        header = Tex(r"$e^-e^-\to e^-e^-$: t-channel, tree level", color=GREY_A).scale(0.6)
        header.move_to([-3.6, 1.75, 0])

        def fermion(start, end):
            line = Line(start, end, color=BLUE, stroke_width=4)
            mid = (start + end) / 2
            arrow = Arrow(mid - 0.2 * line.get_unit_vector(), mid + 0.2 * line.get_unit_vector(), buff=0,
                          color=BLUE, stroke_width=4, max_tip_length_to_length_ratio=0.6)
            return VGroup(line, arrow)

        lines = VGroup(fermion(ends["p1"], a), fermion(a, ends["p3"]), fermion(ends["p2"], b), fermion(b, ends["p4"]))
        waves = 6
        photon = ParametricFunction(
            lambda s: a + (b - a) * s + 0.14 * np.sin(TAU * waves * s) * RIGHT, t_range=[0, 1], color=YELLOW,
            stroke_width=4)
        dots = VGroup(Dot(a, color=WHITE), Dot(b, color=WHITE))
        photon_group = VGroup(photon, dots)
        vertex_labels = VGroup(
            MathTex(r"-ie\gamma^\mu", color=YELLOW).scale(0.7).next_to(a, DOWN + LEFT, buff=0.15).shift(DOWN * 0.1),
            MathTex(r"-ie\gamma^\nu", color=YELLOW).scale(0.7).next_to(b, UP + LEFT, buff=0.15).shift(UP * 0.1),
            MathTex(r"\frac{-i g_{\mu\nu}}{q^2}", color=YELLOW).scale(0.7).next_to((a + b) / 2, RIGHT, buff=0.35),
            MathTex(r"q = p_1 - p_3", color=GREY_A).scale(0.6).next_to((a + b) / 2, RIGHT, buff=0.35)
            .shift(DOWN * 0.75),
        )
        momenta = VGroup(*[MathTex(name[0] + "_" + name[1]).scale(0.65).next_to(pos, LEFT if name in ("p1", "p2")
                                                                              else RIGHT, buff=0.1)
                           for name, pos in ends.items()])
        return VGroup(header, lines, photon_group, vertex_labels, momenta)

    def cross_section_plot(self):
        axes = Axes(x_range=[0, 180, 30], y_range=[-1, 3, 1], x_length=5.4, y_length=3.7, tips=False,
                    x_axis_config={"numbers_to_include": range(0, 181, 30), "font_size": 20},
                    y_axis_config={"scaling": LogBase(custom_labels=True), "font_size": 20,
                                   "numbers_to_include": [0.1, 1, 10, 100, 1000]})
        axes.move_to([3.75, -1.1, 0])
        x_label = MathTex(r"\theta\ (\text{deg})").scale(0.55).next_to(axes.x_axis, DOWN, buff=0.35)
        y_label = MathTex(r"d\sigma/d\Omega\ \ (\text{relative to } \theta = 90^\circ)").scale(0.5)
        y_label.next_to(axes, UP, buff=0.1).align_to(axes, LEFT).shift(LEFT * 0.3)
        rutherford = axes.plot(lambda t: normalised(rutherford_cross_section, t), x_range=[THETA_MIN, THETA_MAX],
                               color=BLUE)
        moller = axes.plot(lambda t: normalised(moller_cross_section, t), x_range=[THETA_MIN, THETA_MAX],
                           color=YELLOW)
        formula = MathTex(r"\overline{|\mathcal M|^2} \propto |M_t|^2 + |M_u|^2 - M_t M_u,"
                          r"\quad M \propto \frac{e^2}{q^2}").scale(0.55)
        formula.move_to([3.55, 1.75, 0])
        legend = VGroup(
            MathTex(r"\text{t only: } 1/\sin^4(\theta/2)", color=BLUE).scale(0.5),
            MathTex(r"\text{M\o ller (t + u, exchange)}", color=YELLOW).scale(0.5),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        legend.next_to(axes.c2p(THETA_MIN, 0.12), UP + RIGHT, buff=0.05)  # the empty lower-left corner
        self.play(Create(axes), FadeIn(x_label), FadeIn(y_label))
        self.play(Write(formula))
        self.play(Create(rutherford), FadeIn(legend[0]), run_time=1.5)
        self.play(Create(moller), FadeIn(legend[1]), run_time=1.5)
