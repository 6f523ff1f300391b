"""Introduction to the machine-learning series: the title, the topics it covers, and a first real result.

The twelve topics of the gallery appear as a grid, coloured by family (regression and optimisation,
classification, neural networks, unsupervised learning). Beside them, 90 seeded make_blobs points are
clustered by a real scikit-learn KMeans fit: the colours are its labels_, the crosses its
cluster_centers_ and the inertia shown is its inertia_. Nothing on screen is drawn by hand.
"""
from manim import *
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

META = {
    "title": "Machine learning, animated",
    "summary": "Introduction to the series: the topics it covers, and a first real KMeans fit on "
               "seeded blobs.",
    "keywords": ["machine learning", "introduction", "overview", "intro", "series", "ml", "topics",
                 "what is machine learning", "course"],
    "scene": "MLIntroductionScene",
    "category": "ml",
    "order": 1,
    "notes": "ml_introduction",
    "params": {},
}

SEED = 2

N_POINTS = 90
FAMILIES = {
    "regression & optimisation": TEAL,
    "classification": ORANGE,
    "neural networks": PURPLE_B,
    "unsupervised": GREEN,
}
TOPICS = [
    ("Linear regression", "regression & optimisation"),
    ("Gradient descent", "regression & optimisation"),
    ("Decision boundaries", "classification"),
    ("Neural networks", "neural networks"),
    ("K-means", "unsupervised"),
    ("PCA", "unsupervised"),
    ("Convolution", "neural networks"),
    ("RNNs", "neural networks"),
    ("t-SNE", "unsupervised"),
    ("SVMs", "classification"),
    ("Image classification", "classification"),
    ("Sentiment", "classification"),
]
CLUSTER_COLORS = [BLUE, ORANGE, GREEN]


def first_result(seed=SEED):
    """Seeded blobs and a real KMeans fit on them: (points, fitted model)."""
    X, _ = make_blobs(n_samples=N_POINTS, centers=3, cluster_std=0.9, random_state=seed)
    return X, KMeans(n_clusters=3, n_init=10, random_state=seed).fit(X)


class MLIntroductionScene(Scene):
    def construct(self):
        title = Text("Machine learning, animated", font_size=46).to_edge(UP, buff=0.35)
        subtitle = Text("every algorithm computed for real with numpy and scikit-learn, drawn with Manim",
                        font_size=22, color=GREY_B).next_to(title, DOWN, buff=0.2)
        self.play(Write(title), run_time=1.5)
        self.play(FadeIn(subtitle, shift=UP * 0.2))

        cards = VGroup(*[self.card(name, FAMILIES[family]) for name, family in TOPICS])
        # One text scale for every card, set by the longest name, so the grid reads evenly.
        shrink = min(1, min((c[0].width - 0.25) / c[1].width for c in cards))
        for c in cards:
            c[1].scale(shrink)
        cards.arrange_in_grid(rows=4, cols=3, buff=(0.15, 0.2), flow_order="rd")
        cards.to_edge(LEFT, buff=0.4).shift(DOWN * 0.05)
        legend = VGroup(*[VGroup(Square(0.18, stroke_width=0).set_fill(color, 1), Text(name, font_size=18))
                          .arrange(RIGHT, buff=0.12) for name, color in FAMILIES.items()])
        legend.arrange_in_grid(rows=2, cols=2, buff=(0.5, 0.15), col_alignments="ll").next_to(cards, DOWN, buff=0.35)
        covers = Text("What the series covers", font_size=26, color=YELLOW).next_to(cards, UP, buff=0.3)
        self.play(FadeIn(covers))
        self.play(LaggedStart(*[FadeIn(c, shift=UP * 0.2) for c in cards], lag_ratio=0.12), run_time=3)
        self.play(FadeIn(legend))
        for (family, color), entry in zip(FAMILIES.items(), legend):
            members = [c for c, (_, f) in zip(cards, TOPICS) if f == family]
            self.play(*[Indicate(m, color=color, scale_factor=1.06) for m in members + [entry]], run_time=0.8)

        X, km = first_result()
        axes = Axes(x_range=[X[:, 0].min() - 1, X[:, 0].max() + 1], y_range=[X[:, 1].min() - 1, X[:, 1].max() + 1],
                    x_length=4.2, y_length=3.6, tips=False)
        axes.to_edge(RIGHT, buff=0.5).align_to(cards, UP)
        frame = SurroundingRectangle(axes, buff=0, color=GREY_D, stroke_width=1.5)
        dots = VGroup(*[Dot(axes.c2p(*p), radius=0.05, color=GREY_B) for p in X])
        caption = Text(f"make_blobs: {N_POINTS} seeded points", font_size=20).next_to(frame, DOWN, buff=0.2)
        heading = Text("A first real fit", font_size=26, color=YELLOW).next_to(frame, UP, buff=0.3)
        heading.align_to(covers, UP)
        self.play(FadeIn(heading), Create(frame), FadeIn(dots, lag_ratio=0.02), FadeIn(caption), run_time=1.5)

        crosses = VGroup(*[VGroup(Line(UL, DR), Line(DL, UR)).scale(0.12).set_stroke(WHITE, 5).move_to(axes.c2p(*c))
                           for c in km.cluster_centers_])
        fitted = VGroup(Text("KMeans(n_clusters=3).fit(X)", font_size=20, color=YELLOW),
                        MathTex(rf"\text{{inertia}} = {km.inertia_:.1f}", font_size=28))
        fitted.arrange(DOWN, buff=0.15).next_to(caption, DOWN, buff=0.2)
        self.play(*[d.animate.set_color(CLUSTER_COLORS[l]) for d, l in zip(dots, km.labels_)],
                  FadeIn(fitted), run_time=1.5)
        self.play(LaggedStart(*[GrowFromCenter(c) for c in crosses], lag_ratio=0.3))

        self.play(Indicate(cards[4], color=YELLOW, scale_factor=1.08), run_time=1.2)
        self.wait(3.5)

    @staticmethod
    def card(name, color):
        box = RoundedRectangle(corner_radius=0.1, width=2.6, height=0.62, stroke_color=color, stroke_width=2.5)
        box.set_fill(color, opacity=0.12)
        label = Text(name, font_size=20).move_to(box)
        return VGroup(box, label)
