"""A 3x3 kernel sliding over a real 8x8 handwritten digit from scikit-learn's load_digits. Each output
value is the valid cross-correlation that CNN "convolution" layers compute: the sum of the 3x3 patch
times the kernel, element by element. The first output row is computed cell by cell on screen (the
first cell with all nine products written out) and the remaining rows one row at a time. Every
number is computed from the image's pixel values."""
from manim import *
import numpy as np
from fractions import Fraction
from sklearn.datasets import load_digits

META = {
    "title": "Convolution on an image",
    "summary": "A 3x3 kernel (edge, blur, sharpen, Sobel) slides over a real 8x8 digit; each feature-map "
               "value is the sum of the patch times the kernel (valid cross-correlation, as in CNNs).",
    "keywords": ["convolution", "convolutional", "convolutional neural network", "cnn", "kernel", "filter",
                 "feature map", "cross-correlation",
                 "edge detection", "blur", "sharpen", "sobel", "image processing"],
    "scene": "ConvolutionScene",
    "category": "ml",
    "order": 9,
    "notes": "convolution",
    "params": {
        "KERNEL": {"default": "edge", "type": "str",
                   "choices": ["edge", "blur", "sharpen", "vertical", "horizontal"],
                   "aliases": ["kernel", "filter"],
                   "help": "edge, blur, sharpen, vertical (Sobel x) or horizontal (Sobel y)"},
        "IMAGE_INDEX": {"default": 0, "type": "int", "min": 0, "max": 1796,
                        "aliases": ["image", "digit index", "index"],
                        "help": "which load_digits image to use"},
    },
}

KERNEL = "edge"
IMAGE_INDEX = 0

KERNELS = {
    "edge": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "vertical": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "horizontal": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
}


def load_image(index):
    """The 8x8 digit (pixel values 0..16) and its true label."""
    digits = load_digits()
    return digits.images[index].astype(float), int(digits.target[index])


def kernel(name):
    if name not in KERNELS:
        raise ValueError(f"unknown kernel {name!r}; choose one of {', '.join(KERNELS)}")
    return np.array(KERNELS[name], dtype=float)


def cross_correlate_valid(image, k):
    """out[i, j] = sum over the kernel window of image[i + m, j + n] * k[m, n] (no flip, no padding)."""
    kh, kw = k.shape
    out = np.empty((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * k)
    return out


def fmt(v, decimals):
    s = f"{v:.{decimals}f}"
    return "0" if float(s) == 0 else s  # no "-0" or "-0.0"


def kfmt(v):
    """Kernel weights as exact fractions (1/9 rather than 0.11)."""
    return str(Fraction(v).limit_denominator(32))


def grid(values, cell, label, fill):
    """A VGroup of (square, number) cells laid out row by row; label(v) -> text,
    fill(v) -> (colour, opacity, text colour)."""
    cells = VGroup()
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            colour, opacity, ink = fill(v)
            sq = Square(cell, stroke_color=GREY_B, stroke_width=1.5, fill_color=colour,
                        fill_opacity=opacity).move_to([c * cell, -r * cell, 0])
            txt = label(v)
            num = Text(txt, font_size=14 if len(txt) > 3 else 16, color=ink)
            cells.add(VGroup(sq, num.move_to(sq)))
    return cells


class ConvolutionScene(Scene):
    def construct(self):
        image, label = load_image(IMAGE_INDEX)
        k = kernel(KERNEL)
        out = cross_correlate_valid(image, k)
        odec = 0 if np.allclose(out, np.round(out)) else 1
        cell = 0.52
        scale = max(np.abs(out).max(), 1e-9)

        title = Text("Convolution (cross-correlation) on a digit", font_size=34).to_edge(UP, buff=0.25)
        self.play(Write(title), run_time=1)

        inp = grid(image, cell, lambda v: fmt(v, 0), lambda v: (WHITE, v / 16, BLACK if v > 8 else GREY_A))
        inp.move_to([-4.35, 0.25, 0])
        inp_lbl = Text(f"input: digit #{IMAGE_INDEX} (label {label}), 8x8", font_size=20)
        inp_lbl.next_to(inp, UP, buff=0.2)
        self.play(FadeIn(inp, lag_ratio=0.01), FadeIn(inp_lbl), run_time=1.5)

        ker = grid(k, cell, kfmt, lambda v: (YELLOW if v > 0 else TEAL if v < 0 else BLACK,
                                            0.35 if v else 0, WHITE))
        ker.move_to([-0.75, 1.3, 0])
        ker_lbl = Text(f"kernel: {KERNEL}", font_size=20).next_to(ker, UP, buff=0.2)
        self.play(FadeIn(ker), FadeIn(ker_lbl), run_time=1)

        outs = VGroup(*[Square(cell, stroke_color=GREY_B, stroke_width=1.5).move_to([c * cell, -r * cell, 0])
                        for r in range(out.shape[0]) for c in range(out.shape[1])])
        outs.move_to([4.1, 0.25, 0])
        out_lbl = Text(f"feature map {out.shape[0]}x{out.shape[1]}", font_size=20).next_to(outs, UP, buff=0.2)
        self.play(Create(outs), FadeIn(out_lbl), run_time=1)

        formula = MathTex(r"S(i,j) = \sum_{m=0}^{2}\sum_{n=0}^{2} I(i+m,\,j+n)\,K(m,n)", font_size=32)
        formula.move_to([0, -2.45, 0])
        self.play(Write(formula), run_time=1.2)

        window = Square(3 * cell, stroke_color=YELLOW, stroke_width=5)
        window.move_to(VGroup(*[inp[r * 8 + c] for r in range(3) for c in range(3)]))
        self.play(Create(window), run_time=0.5)

        def patch_centre(i, j):
            return inp[(i + 1) * 8 + j + 1].get_center()

        def out_cell(i, j):
            v = out[i, j]
            sq = outs[i * out.shape[1] + j]
            filled = sq.copy().set_fill(RED_D if v > 0 else BLUE_D, opacity=0.9 * abs(v) / scale)
            txt = fmt(v, odec)
            return VGroup(filled, Text(txt, font_size=14 if len(txt) > 3 else 16).move_to(sq))

        # first cell: all nine products written out
        products = " + ".join(
            r"%s\cdot%s" % (fmt(image[m, n], 0), f"({kfmt(k[m, n])})" if k[m, n] < 0 else kfmt(k[m, n]))
            for m in range(3) for n in range(3))
        calc = MathTex(r"S(0,0) = " + products + " = " + fmt(out[0, 0], odec), font_size=26)
        calc.scale_to_fit_width(min(calc.width, 13.2)).move_to([0, -3.35, 0])
        self.play(Write(calc), run_time=2)
        first = out_cell(0, 0)
        # the cell's fill goes in first so it stays underneath the number flying into it
        self.play(FadeIn(first[0]), run_time=0.3)
        self.play(TransformFromCopy(calc[0][-len(fmt(out[0, 0], odec)):], first[1]), run_time=0.8)
        self.wait(0.5)

        # the rest of row 0, one cell at a time, each with its sum on screen
        for j in range(1, out.shape[1]):
            new_calc = MathTex(r"S(0,%d) = \sum I\odot K = %s" % (j, fmt(out[0, j], odec)),
                               font_size=30).move_to(calc)
            # the old sum leaves before the new one arrives, so the two never overlap
            self.play(window.animate.move_to(patch_centre(0, j)), Succession(FadeOut(calc), FadeIn(new_calc)),
                      FadeIn(out_cell(0, j)), run_time=0.9)
            calc = new_calc
        self.play(FadeOut(calc), run_time=0.3)

        # remaining rows: the window sweeps each row and the row's values appear along with it
        for i in range(1, out.shape[0]):
            row = VGroup(*[out_cell(i, j) for j in range(out.shape[1])])
            sweep = Succession(window.animate(run_time=0.3).move_to(patch_centre(i, 0)),
                               window.animate(run_time=0.9).move_to(patch_centre(i, out.shape[1] - 1)))
            self.play(sweep, LaggedStart(*[FadeIn(c) for c in row], lag_ratio=0.15, run_time=1.2))
        self.play(FadeOut(window), run_time=0.4)

        note = Text("red: positive response, blue: negative (opacity = magnitude)", font_size=20)
        note.move_to(calc)
        self.play(FadeIn(note), run_time=0.6)
        self.wait(3)
