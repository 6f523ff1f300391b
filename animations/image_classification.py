"""Classifying a real handwritten digit. scikit-learn's load_digits (1797 images, 8x8 pixels) is split
into a training set and a held-out test set (fixed seed, stratified); a multinomial logistic regression
is trained on the training set when the scene renders. One test image, which the model never saw, is
drawn pixel by pixel, flattened into its 64-vector, and classified: the ten class probabilities are the
model's real softmax output, shown as bars, with the predicted and the true label and the accuracy on the
whole held-out set."""
from manim import *
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

META = {
    "title": "Image classification of a digit",
    "summary": "A logistic-regression classifier trained on load_digits reads a held-out 8x8 digit: "
               "pixels, 64-vector, ten class probabilities, prediction vs truth, test accuracy.",
    "keywords": ["image classification", "classifier", "digits", "mnist", "softmax", "logistic regression",
                 "probabilities", "prediction", "test accuracy", "computer vision"],
    "scene": "ImageClassificationScene",
    "category": "ml",
    "order": 13,
    "notes": "image_classification",
    "params": {
        "DIGIT_INDEX": {"default": 0, "type": "int", "min": 0, "max": 449,
                        "aliases": ["digit", "image", "index", "test image"],
                        "help": "which of the 450 held-out test images to classify"},
    },
}

DIGIT_INDEX = 0
SEED = 0


def split_digits(seed):
    """Pixels scaled to [0, 1]; a stratified 75/25 train/test split with a fixed seed."""
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=0.25, random_state=seed, stratify=y)


def train(X_train, y_train):
    """Multinomial logistic regression (lbfgs), fitted to the training images only."""
    return LogisticRegression(C=1.0, max_iter=2000).fit(X_train, y_train)


def classify(model, x):
    """The ten class probabilities of one image and the predicted digit."""
    probs = model.predict_proba(x.reshape(1, -1))[0]
    return probs, int(np.argmax(probs))


class ImageClassificationScene(Scene):
    def construct(self):
        X_train, X_test, y_train, y_test = split_digits(SEED)
        model = train(X_train, y_train)
        x, truth = X_test[DIGIT_INDEX], int(y_test[DIGIT_INDEX])
        probs, pred = classify(model, x)
        test_acc = model.score(X_test, y_test)

        title = Text("Classifying a handwritten digit", font_size=34).to_edge(UP, buff=0.25)
        self.play(Write(title), run_time=1)

        # the image: 8x8 grey squares, brightness = pixel value
        cell = 0.48
        pixels = VGroup(*[Square(cell, stroke_width=0.5, stroke_color=GREY_D, fill_color=WHITE,
                                 fill_opacity=float(v)).move_to([c * cell, -r * cell, 0])
                          for r, row in enumerate(x.reshape(8, 8)) for c, v in enumerate(row)])
        pixels.move_to([-4.8, 0.0, 0])
        frame = SurroundingRectangle(pixels, buff=0, stroke_color=GREY_B, stroke_width=2)
        img_lbl = Text(f"held-out test image #{DIGIT_INDEX}", font_size=20).next_to(frame, UP, buff=0.2)
        self.play(FadeIn(pixels, lag_ratio=0.01), Create(frame), FadeIn(img_lbl), run_time=1.8)
        self.wait(1)

        # flatten: the same 64 squares, restacked as a column vector
        column = VGroup(*[sq.copy().set(width=0.16, height=0.062) for sq in pixels]).arrange(DOWN, buff=0.005)
        column.move_to([-1.85, 0.0, 0])
        col_lbl = MathTex(r"x \in [0,1]^{64}", font_size=28).next_to(column, UP, buff=0.15)
        self.play(TransformFromCopy(pixels, column), FadeIn(col_lbl), run_time=2.2)
        self.wait(0.8)

        model_box = VGroup(
            MathTex(r"z = W x + b", font_size=30),
            MathTex(r"p_k = \frac{e^{z_k}}{\sum_{j=0}^{9} e^{z_j}}", font_size=30),
        ).arrange(DOWN, buff=0.25).move_to([0.1, 0.0, 0])
        model_lbl = Text("logistic regression", font_size=18, color=GREY_B).next_to(model_box, UP, buff=0.2)
        train_lbl = Text(f"trained on {len(y_train)} other digits", font_size=18, color=GREY_B)
        train_lbl.next_to(model_box, DOWN, buff=0.25)
        arrow_in = Arrow(column.get_right(), [model_box.get_left()[0], 0, 0], buff=0.15, stroke_width=3)
        self.play(GrowArrow(arrow_in), FadeIn(model_lbl), Write(model_box), FadeIn(train_lbl), run_time=2)
        self.wait(1)

        # the ten probabilities as bars
        base_y, max_h, bar_w, x0 = -1.9, 3.4, 0.38, 2.3
        bars = VGroup(*[Rectangle(width=bar_w, height=max(p * max_h, 0.01), stroke_width=0,
                                  fill_color=BLUE_D, fill_opacity=0.9)
                        .move_to([x0 + 0.46 * k, base_y, 0], aligned_edge=DOWN) for k, p in enumerate(probs)])
        axis = Line([x0 - 0.25, base_y, 0], [x0 + 0.46 * 9 + 0.25, base_y, 0], stroke_width=2)
        digits = VGroup(*[Text(str(k), font_size=20).next_to(b, DOWN, buff=0.12).set_y(base_y - 0.22)
                          for k, b in enumerate(bars)])
        values = VGroup(*[Text(f"{p:.2f}", font_size=13).next_to(b, UP, buff=0.08) for p, b in zip(probs, bars)])
        arrow_out = Arrow([model_box.get_right()[0], 0, 0], [x0 - 0.3, 0, 0], buff=0.1, stroke_width=3)
        bars_lbl = Text("P(digit = k | image)", font_size=18, color=GREY_B).move_to([x0 + 0.46 * 4.5, 2.45, 0])
        self.play(GrowArrow(arrow_out), Create(axis), FadeIn(digits), FadeIn(bars_lbl), run_time=1)
        self.play(LaggedStart(*[GrowFromEdge(b, DOWN) for b in bars], lag_ratio=0.08), run_time=2.2)
        self.play(FadeIn(values), run_time=0.6)
        self.wait(1)

        # prediction against the truth
        correct = pred == truth
        verdict_colour = GREEN if correct else RED
        self.play(bars[pred].animate.set_fill(verdict_colour), Indicate(digits[pred], color=verdict_colour),
                  run_time=1)
        verdict = Text(f"predicted {pred} (p = {probs[pred]:.2f}),  true label {truth}:  "
                       + ("correct" if correct else "wrong"), font_size=24, color=verdict_colour)
        verdict.move_to([0, -2.95, 0])
        acc = Text(f"accuracy on all {len(y_test)} held-out test digits: {100 * test_acc:.1f}%", font_size=22)
        acc.move_to([0, -3.5, 0])
        marks = [FadeIn(verdict, shift=UP * 0.2)]
        if not correct:  # point at the true class too
            marks.append(Create(SurroundingRectangle(digits[truth], color=GREEN, buff=0.06)))
        self.play(*marks, run_time=1)
        self.play(FadeIn(acc, shift=UP * 0.2), run_time=1)
        self.wait(3.5)
