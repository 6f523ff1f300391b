"""t-SNE on real handwritten digits. A fixed-seed subsample of scikit-learn's load_digits (64 pixels per
image) is embedded in 2-D with sklearn.manifold.TSNE, starting from the same PCA initialisation that
TSNE(init="pca") uses (computed here and passed in explicitly, so the first frame is exactly where the
optimisation starts). The scene shows that layout, then the real states after 250 iterations (the end of
early exaggeration), 350 and 500 iterations: each is a TSNE run from the same start stopped at that
iteration count, and t-SNE is deterministic for a fixed random_state. Points are coloured by their true
digit, which t-SNE never sees; a 5-nearest-neighbour accuracy in the final 2-D map measures how well the
classes separate. Everything is recomputed when the scene renders (a few seconds of t-SNE)."""
from manim import *
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

META = {
    "title": "t-SNE on handwritten digits",
    "summary": "scikit-learn's t-SNE embeds 64-pixel digit images in 2-D: from the PCA start to ten "
               "clusters, coloured by the true digit.",
    "keywords": ["t-sne", "tsne", "embedding", "dimensionality reduction", "manifold learning",
                 "visualization", "digits", "mnist", "clusters", "perplexity"],
    "scene": "TSNEScene",
    "category": "ml",
    "order": 11,
    "notes": "tsne",
    "params": {
        "PERPLEXITY": {"default": 30.0, "type": "float", "min": 5.0, "max": 50.0,
                       "aliases": ["perplexity"], "help": "effective number of neighbours per point"},
        "N_POINTS": {"default": 500, "type": "int", "min": 200, "max": 600,
                     "aliases": ["points", "samples", "digits", "n"], "help": "number of digits embedded"},
    },
}

PERPLEXITY = 30.0
N_POINTS = 500
SEED = 0
SNAPSHOTS = (250, 350, 500)  # iteration counts shown; the last one is the final embedding


def subsample(n, seed):
    """n digit images (as 64-vectors) and their labels, chosen with a fixed seed."""
    X, y = load_digits(return_X_y=True)
    idx = np.random.RandomState(seed).choice(len(X), n, replace=False)
    return X[idx], y[idx]


def pca_init(X, seed):
    """The initial layout TSNE(init="pca") builds: 2 PCA components, PC1 scaled to std 1e-4."""
    Y = PCA(n_components=2, random_state=np.random.RandomState(seed)).fit_transform(X).astype(np.float32)
    return Y / np.std(Y[:, 0]) * 1e-4


def embed(X, perplexity, seed, max_iter, init):
    """sklearn's t-SNE from the given initial layout, stopped after max_iter iterations."""
    tsne = TSNE(n_components=2, perplexity=perplexity, init=init, max_iter=max_iter, random_state=seed)
    return tsne.fit_transform(X), tsne.kl_divergence_


def knn_accuracy(E, y, k=5):
    """5-fold cross-validated k-NN accuracy of the labels from the 2-D coordinates alone."""
    return cross_val_score(KNeighborsClassifier(n_neighbors=k), E, y, cv=5).mean()


def fit_box(E, centre, half):
    """Centre a layout and scale it uniformly to fit a square of the given half-width."""
    E = E - (E.max(axis=0) + E.min(axis=0)) / 2
    return np.column_stack([E, np.zeros(len(E))]) * (half / np.abs(E).max()) + centre


def centred_text(text, font_size, color=WHITE):
    """Multi-line text with every line centred (Text aligns extra lines to the left)."""
    return VGroup(*[Text(line, font_size=font_size, color=color) for line in text.split("\n")]).arrange(
        DOWN, buff=0.1)


class TSNEScene(Scene):
    def construct(self):
        X, y = subsample(N_POINTS, SEED)
        start = pca_init(X, SEED)
        runs = [embed(X, PERPLEXITY, SEED, it, start) for it in SNAPSHOTS]
        acc = knn_accuracy(runs[-1][0], y)

        title = Text("t-SNE on handwritten digits", font_size=34).to_edge(UP, buff=0.25)
        self.play(Write(title), run_time=1)

        centre, half = np.array([-2.3, -0.35, 0]), 3.05
        box = Square(2 * half + 0.3, stroke_color=GREY_D, stroke_width=2).move_to(centre)
        palette = [BLUE, RED, GREEN, YELLOW, PURPLE, ORANGE, TEAL, PINK, GREY_A, GOLD_E]
        dots = VGroup(*[Dot(p, radius=0.035, color=palette[c])
                        for p, c in zip(fit_box(start, centre, half), y)])
        legend = VGroup(*[VGroup(Dot(radius=0.08, color=palette[d]), Text(str(d), font_size=22)).arrange(
            RIGHT, buff=0.12) for d in range(10)]).arrange_in_grid(rows=2, buff=(0.35, 0.2))
        legend.move_to([4.45, 2.35, 0])
        legend_lbl = Text("true digit (never shown to t-SNE)", font_size=18, color=GREY_B)
        legend_lbl.next_to(legend, UP, buff=0.18)

        info = centred_text(f"{N_POINTS} images from load_digits\n64 pixels each, perplexity {PERPLEXITY:g}",
                            20).move_to([4.45, 0.8, 0])
        self.play(Create(box), FadeIn(legend), FadeIn(legend_lbl), FadeIn(info), run_time=1.2)
        stage = centred_text("start: PCA of the pixels", 24).move_to([4.45, -0.4, 0])
        self.play(LaggedStart(*[FadeIn(d) for d in dots], lag_ratio=0.002), FadeIn(stage), run_time=1.5)
        self.wait(1)

        captions = {250: "250 iterations\n(end of early exaggeration)"}
        for it, (E, _) in zip(SNAPSHOTS, runs):
            target = VGroup(*[d.copy().move_to(p) for d, p in zip(dots, fit_box(E, centre, half))])
            new_stage = centred_text(captions.get(it, f"{it} iterations"), 24).move_to([4.45, -0.4, 0])
            self.play(FadeOut(stage), run_time=0.3)
            self.play(Transform(dots, target), FadeIn(new_stage), run_time=2.5)
            stage = new_stage
            self.wait(1.2)

        kl = MathTex(r"\mathrm{KL}(P\,\|\,Q) = %.3f" % runs[-1][1], font_size=30)
        score = Text(f"5-NN accuracy in 2-D: {100 * acc:.1f}%", font_size=22)
        note = centred_text("each frame rescaled to fit the box;\nt-SNE recomputed at render time",
                            16, GREY_B)
        VGroup(kl, score, note).arrange(DOWN, buff=0.3).next_to(stage, DOWN, buff=0.45)
        self.play(Write(kl), run_time=1)
        self.play(FadeIn(score, shift=UP * 0.2), FadeIn(note), run_time=1)
        self.wait(3.5)
