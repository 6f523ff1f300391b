"""K-means clustering with Lloyd's algorithm, run for real on seeded make_blobs data.

K initial centroids are drawn (seeded) from the data points; then each iteration assigns every point to
its nearest centroid (the points take that centroid's colour) and moves every centroid to the mean of its
points. The loop stops when no assignment changes. The inertia (sum of squared distances to the assigned
centroid) is computed at every iteration and plotted; it never increases. The result equals
scikit-learn's KMeans(algorithm="lloyd") started from the same centroids.
"""
from manim import *
import numpy as np
from sklearn.datasets import make_blobs

META = {
    "title": "K-means clustering",
    "summary": "Lloyd's algorithm on seeded blobs: assignments and centroid moves until convergence, "
               "with the inertia at each iteration.",
    "keywords": ["k-means", "kmeans", "clustering", "lloyd", "centroids", "unsupervised", "inertia",
                 "cluster analysis"],
    "scene": "KMeansScene",
    "category": "ml",
    "order": 7,
    "notes": "kmeans",
    "params": {"K": {"default": 3, "type": "int", "min": 2, "max": 6,
                     "aliases": ["clusters", "k", "groups", "centroids"], "help": "number of clusters"}},
}

K = 3
SEED = 9

N_POINTS = 150
PALETTE = [BLUE, ORANGE, GREEN, RED, PURPLE, YELLOW]


def make_data(seed=SEED):
    """Three seeded Gaussian blobs; a K other than 3 shows what k-means does with a wrong guess."""
    X, _ = make_blobs(n_samples=N_POINTS, centers=3, cluster_std=1.1, random_state=seed)
    return X


def initial_centroids(X, k, seed=SEED):
    """Forgy initialisation: k distinct data points picked with a seeded generator."""
    rng = np.random.default_rng(seed)
    return X[rng.choice(len(X), size=k, replace=False)].copy()


def assign(X, centroids):
    d2 = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return d2.argmin(axis=1), d2.min(axis=1).sum()


def lloyd(X, init, max_iter=100):
    """Lloyd's algorithm until the assignments stop changing.

    Returns a list of (labels, inertia, centroids_after_update) per iteration; the first entry's labels
    are the assignment to the initial centroids.
    """
    centroids = init.copy()
    history, labels = [], None
    for _ in range(max_iter):
        new_labels, inertia = assign(X, centroids)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        # An empty cluster keeps its centroid (it does not happen for this data and these seeds).
        centroids = np.array([X[labels == j].mean(axis=0) if np.any(labels == j) else centroids[j]
                              for j in range(len(centroids))])
        history.append((labels, inertia, centroids))
    return history


class KMeansScene(Scene):
    def construct(self):
        X = make_data()
        init = initial_centroids(X, K)
        history = lloyd(X, init)
        final_inertia = assign(X, history[-1][2])[1]

        title = Text("K-means clustering (Lloyd's algorithm)", font_size=36).to_edge(UP, buff=0.3)
        self.play(Write(title))

        lo, hi = np.floor(X.min(axis=0) - 1), np.ceil(X.max(axis=0) + 1)
        axes = Axes(x_range=[lo[0], hi[0], 2], y_range=[lo[1], hi[1], 2], x_length=7.2, y_length=5.4)
        axes.to_edge(LEFT, buff=0.4).shift(UP * 0.2)
        # The axes only map data to screen; a plain frame reads better than axis lines through the blobs.
        frame = SurroundingRectangle(axes, buff=0, color=GREY_D, stroke_width=1.5)
        dots = VGroup(*[Dot(axes.c2p(*p), radius=0.05, color=GREY_B) for p in X])
        self.play(Create(frame), FadeIn(dots, lag_ratio=0.01), run_time=1.5)

        self.caption = Text(f"{K} initial centroids: seeded random data points", font_size=24)
        self.caption.to_edge(DOWN, buff=0.25)
        centroids = VGroup(*[centroid_marker(axes.c2p(*c), PALETTE[j]) for j, c in enumerate(init)])
        self.play(LaggedStart(*[GrowFromCenter(c) for c in centroids], lag_ratio=0.2), FadeIn(self.caption))

        panel, chart, iter_num, inertia_num = inertia_panel(len(history), history[0][1])
        self.play(FadeIn(panel))

        marks = [(it, h[1]) for it, h in enumerate(history, start=1)] + [(len(history) + 1, final_inertia)]
        for it, (labels, inertia, new_c) in enumerate(history, start=1):
            self.say("assign: each point joins its nearest centroid")
            self.play(*[d.animate.set_color(PALETTE[l]) for d, l in zip(dots, labels)],
                      ChangeDecimalToValue(iter_num, it), ChangeDecimalToValue(inertia_num, inertia), run_time=0.8)
            self.plot_mark(chart, marks, it - 1)
            self.say("update: each centroid moves to the mean of its points")
            self.play(*[c.animate.move_to(axes.c2p(*p)) for c, p in zip(centroids, new_c)], run_time=0.9)

        self.say(f"converged after {len(history)} iterations: no assignment changes")
        self.play(ChangeDecimalToValue(inertia_num, final_inertia), run_time=0.6)
        self.plot_mark(chart, marks, len(history))
        self.wait(2)

    def say(self, text):
        new = Text(text, font_size=24).move_to(self.caption)
        self.play(FadeOut(self.caption), run_time=0.2)
        self.play(FadeIn(new, shift=UP * 0.15), run_time=0.3)
        self.caption = new

    def plot_mark(self, chart, marks, i):
        dot = Dot(chart.c2p(*marks[i]), radius=0.05, color=YELLOW)
        anims = [FadeIn(dot)]
        if i > 0:
            anims.append(Create(Line(chart.c2p(*marks[i - 1]), dot.get_center(), color=YELLOW)))
        self.play(*anims, run_time=0.3)


def centroid_marker(point, color):
    cross = VGroup(Line(UL, DR), Line(DL, UR)).scale(0.14).set_stroke(WHITE, 7)
    return VGroup(cross, cross.copy().set_stroke(color, 4)).move_to(point)


def inertia_panel(n_iter, first_inertia):
    """Iteration counter, inertia readout and an empty inertia-vs-iteration chart."""
    iter_row = VGroup(Text("iteration", font_size=26), Integer(0, font_size=34)).arrange(RIGHT, buff=0.3)
    formula = MathTex(r"\text{inertia}=\sum_i \lVert x_i-\mu_{c(i)}\rVert^2", font_size=30)
    inertia_num = DecimalNumber(first_inertia, num_decimal_places=1, font_size=34)
    chart = Axes(x_range=[0, n_iter + 2, 1], y_range=[0, first_inertia * 1.1, first_inertia * 1.1 / 4],
                 x_length=4.6, y_length=2.4, tips=False, axis_config={"stroke_opacity": 0.6})
    caption = Text("inertia per iteration", font_size=20, color=GREY_B)
    panel = VGroup(iter_row, formula, inertia_num, chart, caption).arrange(DOWN, buff=0.3)
    panel.to_edge(RIGHT, buff=0.4).shift(DOWN * 0.3)
    return panel, chart, iter_row[1], inertia_num
