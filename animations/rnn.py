"""An Elman recurrent neural network unrolled over a short sequence of scalar inputs. With fixed-seed
weights W_h (2x2), W_x (2x1) and b (2), the scene computes the hidden states
h_t = tanh(W_h h_{t-1} + W_x x_t + b) with numpy, starting from h_0 = 0, and writes each step's
pre-activation and hidden state on screen as it is computed. The same weights are reused at every time
step, which is what the unrolled picture shows."""
from manim import *
import numpy as np

META = {
    "title": "Recurrent neural network, unrolled",
    "summary": "h_t = tanh(W_h h_{t-1} + W_x x_t + b) computed step by step over a short sequence, "
               "with the same weights at every step.",
    "keywords": ["rnn", "recurrent neural network", "hidden state", "unrolled", "elman", "sequence",
                 "tanh", "time steps", "deep learning"],
    "scene": "RNNScene",
    "category": "ml",
    "order": 10,
    "notes": "rnn",
    "params": {
        "STEPS": {"default": 5, "type": "int", "min": 3, "max": 6,
                  "aliases": ["steps", "time steps", "length", "sequence length"],
                  "help": "number of time steps to unroll"},
    },
}

STEPS = 5
SEED = 1
SEQUENCE = [0.8, -0.3, 1.0, -0.9, 0.4, 0.1]  # the inputs x_1..x_6; the scene uses the first STEPS
HIDDEN = 2


def rnn_weights(seed, hidden):
    """W_h (hidden x hidden), W_x (hidden x 1) and b (hidden), drawn with a fixed seed."""
    rng = np.random.default_rng(seed)
    W_h = rng.normal(0.0, 0.8, (hidden, hidden))
    W_x = rng.normal(0.0, 1.0, (hidden, 1))
    b = rng.normal(0.0, 0.3, hidden)
    return W_h, W_x, b


def rnn_forward(xs, W_h, W_x, b):
    """Pre-activations a_1..a_T and hidden states h_0..h_T (h_0 = 0) of the recurrence."""
    h = np.zeros(W_h.shape[0])
    pre, states = [], [h]
    for x in xs:
        a = W_h @ h + W_x @ np.atleast_1d(x) + b
        h = np.tanh(a)
        pre.append(a)
        states.append(h)
    return np.array(pre), np.array(states)


def col(v):
    """A numeric column vector in LaTeX."""
    return r"\begin{pmatrix}" + r"\\".join(f"{x:.2f}" for x in v) + r"\end{pmatrix}"


def mat(M):
    return r"\begin{pmatrix}" + r"\\".join(" & ".join(f"{x:.2f}" for x in row) for row in M) + r"\end{pmatrix}"


class RNNScene(Scene):
    def construct(self):
        xs = SEQUENCE[:STEPS]
        W_h, W_x, b = rnn_weights(SEED, HIDDEN)
        pre, hs = rnn_forward(xs, W_h, W_x, b)

        title = Text("Recurrent neural network, unrolled", font_size=34).to_edge(UP, buff=0.25)
        formula = MathTex(r"h_t", "=", r"\tanh(W_h\,h_{t-1} + W_x\,x_t + b)", font_size=36)
        formula.next_to(title, DOWN, buff=0.25)
        self.play(Write(title), run_time=1)
        self.play(Write(formula), run_time=1.5)

        weights = VGroup(MathTex(r"W_h = " + mat(W_h), font_size=28),
                         MathTex(r"W_x = " + mat(W_x), font_size=28),
                         MathTex(r"b = " + col(b), font_size=28)).arrange(RIGHT, buff=0.7)
        weights.next_to(formula, DOWN, buff=0.3)
        shared = Text("(the same weights at every step)", font_size=18, color=GREY_B)
        shared.next_to(weights, DOWN, buff=0.12)
        self.play(FadeIn(weights, shift=DOWN * 0.2), FadeIn(shared), run_time=1.2)

        # the unrolled network: h_0 on the left, one tanh cell per time step
        y_cell, y_x = -1.0, -2.25
        xs_pos = np.linspace(-4.0, 6.0, STEPS) if STEPS > 3 else np.linspace(-3.0, 4.0, STEPS)
        cells = VGroup(*[VGroup(RoundedRectangle(corner_radius=0.15, width=1.1, height=0.7, color=BLUE),
                                MathTex(r"\tanh", font_size=28)).move_to([x, y_cell, 0]) for x in xs_pos])
        h0 = MathTex(r"h_0 = " + col(hs[0]), font_size=24).move_to([xs_pos[0] - 1.85, y_cell, 0])
        links = VGroup(Arrow(h0.get_right(), cells[0].get_left(), buff=0.1, stroke_width=3),
                       *[Arrow(a.get_right(), c.get_left(), buff=0.1, stroke_width=3)
                         for a, c in zip(cells[:-1], cells[1:])])
        inputs = VGroup(*[MathTex(r"x_{%d} = %.1f" % (t + 1, x), font_size=26).move_to([p, y_x, 0])
                          for t, (x, p) in enumerate(zip(xs, xs_pos))])
        ups = VGroup(*[Arrow(i.get_top(), c.get_bottom(), buff=0.08, stroke_width=3)
                       for i, c in zip(inputs, cells)])
        self.play(FadeIn(h0), LaggedStart(*[Create(c) for c in cells], lag_ratio=0.15),
                  Create(links), run_time=1.6)
        self.play(FadeIn(inputs, lag_ratio=0.1), Create(ups), run_time=1.2)

        # one time step at a time: the real pre-activation, then the hidden state it produces
        calc, labels = VGroup(), VGroup()
        for t in range(STEPS):
            step = MathTex(r"a_{%d} = W_h" % (t + 1) + col(hs[t]) + r" + W_x\,(%.1f) + b = " % xs[t]
                           + col(pre[t]), r"\;\Rightarrow\; h_{%d} = \tanh(a_{%d}) = " % (t + 1, t + 1),
                           col(hs[t + 1]), font_size=28).move_to([0, -3.25, 0])
            label = MathTex(r"h_{%d} = " % (t + 1) + col(hs[t + 1]), font_size=24)
            label.next_to(cells[t], UP, buff=0.2)
            # light up this step's cell and input (and put the previous ones back) as the old sum leaves
            focus = [cells[t][0].animate.set_stroke(YELLOW, width=6), inputs[t].animate.set_color(YELLOW),
                     FadeOut(calc)]
            if t:
                focus += [cells[t - 1][0].animate.set_stroke(BLUE, width=4), inputs[t - 1].animate.set_color(WHITE)]
            # one play per step keeps the render fast (manim does per-play work over the whole scene);
            # lag_ratio=1 runs the three parts one after another
            self.play(LaggedStart(AnimationGroup(*focus, run_time=0.6), Write(step, run_time=1.5),
                                  FadeIn(label, target_position=step[2], run_time=1.2), lag_ratio=1))
            calc = step
            labels.add(label)
        self.play(FadeOut(calc), cells[-1][0].animate.set_stroke(BLUE, width=4),
                  inputs[-1].animate.set_color(WHITE), run_time=0.6)

        summary = Tex(r"$h_{%d}$ summarises the whole sequence $x_1, \dots, x_{%d}$" % (STEPS, STEPS),
                      font_size=32)
        summary.move_to([0, -3.25, 0])
        self.play(FadeIn(summary, shift=UP * 0.2), Indicate(labels[-1], color=YELLOW), run_time=1.2)
        self.wait(2.5)
