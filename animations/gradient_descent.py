"""Gradient descent on an anisotropic quadratic bowl, in 3-D and as a contour map.

The loss f(x, y) = (x^2 + 4 y^2) / 2 has Hessian diag(1, 4), so its gradient is L-Lipschitz with L = 4.
The path is computed for real by iterating p <- p - lr * grad f(p) from a fixed start. Along each
eigen-direction the error is multiplied by (1 - lr * lambda) per step, so the descent converges exactly
when lr < 2 / L = 0.5; at larger rates the steep direction overshoots further each step and the path
diverges. The scene shows the path on the surface, then the same path over the level sets (ellipses), and
states which regime the chosen rate is in, with the norm reached after all the steps.
"""
from manim import *
import numpy as np

META = {
    "title": "Gradient descent",
    "summary": "Real gradient-descent steps on a 3-D quadratic loss surface and its contour map; a learning "
               "rate past 2/L makes the path diverge.",
    "keywords": ["gradient descent", "learning rate", "optimization", "loss surface", "contour",
                 "step size", "divergence", "convergence", "steepest descent", "optimisation"],
    "scene": "GradientDescentScene",
    "category": "ml",
    "order": 4,
    "notes": "gradient_descent",
    "params": {"LEARNING_RATE": {"default": 0.4, "type": "float", "min": 0.05, "max": 0.6,
                                 "aliases": ["learning rate", "lr", "rate", "step size", "eta"],
                                 "help": "step size; above 2/L = 0.5 the descent diverges"}},
}

LEARNING_RATE = 0.4

HESSIAN = np.diag([1.0, 4.0])
START = np.array([-3.5, 0.6])
STEPS = 25
X_LIM, Y_LIM = 4.0, 2.0  # the plotted domain is [-X_LIM, X_LIM] x [-Y_LIM, Y_LIM]
LEVELS = [0.25, 1.0, 2.25, 4.0, 6.25]


def loss(p):
    p = np.asarray(p, dtype=float)
    return 0.5 * float(p @ HESSIAN @ p)


def grad(p):
    return HESSIAN @ np.asarray(p, dtype=float)


def descend(lr=LEARNING_RATE, start=START, steps=STEPS):
    """The iterates p_0 .. p_steps of p <- p - lr * grad(p)."""
    path = [np.array(start, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad(path[-1]))
    return np.array(path)


def critical_rate():
    """2 / L, with L the largest Hessian eigenvalue: the stability limit of gradient descent."""
    return 2 / np.linalg.eigvalsh(HESSIAN).max()


def regime(lr):
    limit = critical_rate()
    if np.isclose(lr, limit):
        return "oscillates"
    return "converges" if lr < limit else "diverges"


def visible_prefix(path):
    """Iterates up to (not including) the first one that leaves the plotted domain."""
    inside = (np.abs(path[:, 0]) <= X_LIM) & (np.abs(path[:, 1]) <= Y_LIM)
    return path[:len(path) if inside.all() else int(np.argmin(inside))]


def contraction(lr):
    """Per-step factor on the slowest-shrinking (or fastest-growing) eigen-direction of the error."""
    return float(np.abs(1 - lr * np.linalg.eigvalsh(HESSIAN)).max())


def latex_number(v):
    if 1e-3 <= abs(v) < 1e4:
        return f"{v:.3f}"
    mantissa, exponent = f"{v:.2e}".split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


class GradientDescentScene(ThreeDScene):
    def construct(self):
        path = descend()
        shown = visible_prefix(path)
        axes = ThreeDAxes(x_range=[-X_LIM, X_LIM, 1], y_range=[-Y_LIM, Y_LIM, 1], z_range=[0, 16, 4],
                          x_length=7.6, y_length=3.8, z_length=3.0, tips=False,
                          axis_config={"stroke_opacity": 0.5, "include_ticks": False}).shift(LEFT * 2.9 + IN * 1.6)
        self.set_camera_orientation(phi=60 * DEGREES, theta=-70 * DEGREES, zoom=0.9)

        title = Text("Gradient descent on a loss surface", font_size=34).to_edge(UP, buff=0.25)
        formulas = VGroup(
            MathTex(r"f(x,y) = \tfrac12\,(x^2 + 4y^2)", font_size=32),
            MathTex(r"p_{k+1} = p_k - \eta\,\nabla f(p_k)", font_size=32),
            MathTex(rf"\eta = {LEARNING_RATE:g}, \quad 2/L = {critical_rate():g}", font_size=32, color=YELLOW),
        ).arrange(DOWN, buff=0.25).to_corner(UR, buff=0.4).shift(DOWN * 0.7)
        step_num = Integer(0, font_size=30)
        norm_num = DecimalNumber(np.linalg.norm(path[0]), 3, font_size=30)
        loss_num = DecimalNumber(loss(path[0]), 3, font_size=30)
        readout = VGroup(*[VGroup(MathTex(label, font_size=30), num).arrange(RIGHT, buff=0.15)
                           for label, num in [(r"k =", step_num), (r"\lVert p_k \rVert =", norm_num),
                                              (r"f(p_k) =", loss_num)]])
        readout.arrange(DOWN, buff=0.2, aligned_edge=LEFT).next_to(formulas, DOWN, buff=0.45)
        self.add_fixed_in_frame_mobjects(title, formulas, readout)
        self.remove(formulas, readout)
        self.play(Write(title))

        surface = Surface(lambda u, v: axes.c2p(u, v, loss((u, v))), u_range=[-X_LIM, X_LIM],
                          v_range=[-Y_LIM, Y_LIM], resolution=(12, 8), fill_opacity=0.55,
                          stroke_width=0.4, checkerboard_colors=[BLUE_D, BLUE_E])
        self.play(Create(axes), Create(surface), FadeIn(formulas), FadeIn(readout), run_time=2)

        on_surface = [axes.c2p(x, y, loss((x, y))) for x, y in shown]
        # Flat dots, not Dot3D spheres: each sphere is dozens of faces to shade in every frame.
        trail = VGroup(Dot(on_surface[0], radius=0.08, color=YELLOW))
        self.play(FadeIn(trail[0]), run_time=0.5)
        # Step one by one while the moves are visible, then the tail (tiny steps) in one go.
        batches = [[k] for k in range(1, min(len(shown), 8))] + [list(range(8, len(shown)))]
        for batch in filter(None, batches):
            new = VGroup()
            for k in batch:
                new.add(Line(on_surface[k - 1], on_surface[k], color=YELLOW, stroke_width=4),
                        Dot(on_surface[k], radius=0.06, color=YELLOW))
            self.play(Create(new, lag_ratio=1), run_time=0.6 if len(batch) == 1 else 1.2)
            k = batch[-1]
            for num, value in [(step_num, k), (norm_num, np.linalg.norm(shown[k])), (loss_num, loss(shown[k]))]:
                num.set_value(value)
                self.add_fixed_in_frame_mobjects(num)  # set_value makes new glyphs, not yet fixed in frame
            trail.add(*new)
        # A slow turn shows the path hugging the bowl from another side.
        self.begin_ambient_camera_rotation(rate=0.12)
        self.wait(3)
        self.stop_ambient_camera_rotation()

        # Top view: the same iterates over the level sets f = c, which are ellipses.
        contours = VGroup(*[ParametricFunction(
            lambda t, c=c: axes.c2p(np.sqrt(2 * c) * np.cos(t), np.sqrt(c / 2) * np.sin(t), 0),
            t_range=[0, TAU], color=BLUE_B, stroke_width=2) for c in LEVELS])
        flat = self.flat_path(axes, shown, path)
        caption = Text("top view: the same path over the level sets f = c", font_size=24, color=BLUE_B)
        caption.to_corner(DL, buff=0.45).shift(RIGHT * 0.4)
        self.add_fixed_in_frame_mobjects(caption)
        self.remove(caption)
        self.move_camera(phi=0, theta=-90 * DEGREES, zoom=1.0, added_anims=[FadeOut(surface), FadeOut(axes.z_axis),
                         Create(contours), ReplacementTransform(trail, flat)], run_time=2.5)
        self.play(FadeIn(caption), run_time=0.5)

        verdict = self.verdict(path).next_to(readout, DOWN, buff=0.45)
        self.add_fixed_in_frame_mobjects(verdict)
        self.remove(verdict)
        self.play(FadeIn(verdict), run_time=1.5)
        self.wait(4)

    @staticmethod
    def flat_path(axes, shown, path):
        pts = [axes.c2p(x, y, 0) for x, y in shown]
        flat = VGroup(Dot(pts[0], radius=0.07, color=YELLOW))
        for a, b in zip(pts, pts[1:]):
            flat.add(Line(a, b, color=YELLOW, stroke_width=4), Dot(b, radius=0.06, color=YELLOW))
        if len(shown) < len(path):  # the next iterate is off the map: point towards it
            nxt = path[len(shown)]
            direction = (nxt - shown[-1]) / np.linalg.norm(nxt - shown[-1])
            tip = axes.c2p(*(shown[-1] + 0.9 * direction), 0)
            flat.add(Arrow(pts[-1], tip, buff=0, color=RED, stroke_width=5))
        return flat

    @staticmethod
    def verdict(path):
        state = regime(LEARNING_RATE)
        color = {"converges": GREEN, "oscillates": ORANGE, "diverges": RED}[state]
        sign = {"converges": "<", "oscillates": "=", "diverges": ">"}[state]
        lines = [rf"\eta {sign} 2/L:\ \text{{{state}}}",
                 rf"\max_i |1-\eta\lambda_i| = {contraction(LEARNING_RATE):.2f}",
                 rf"\lVert p_{{{STEPS}}} \rVert = {latex_number(np.linalg.norm(path[-1]))}"]
        return VGroup(*[MathTex(t, font_size=30, color=color) for t in lines]).arrange(DOWN, buff=0.15)

